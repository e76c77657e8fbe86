// Wiring only: everything else lives in the library.
#include "cli/cli.h"

int main(int argc, char** argv) { return tandem::cli::Run(argc, argv); }
