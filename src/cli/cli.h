// The `tandem` command line: serve, init, demo, audit verify, export, import,
// backup, openapi.
#pragma once

namespace tandem::cli {

// Parses argv and runs the subcommand; returns the process exit code.
int Run(int argc, char** argv);

}  // namespace tandem::cli
