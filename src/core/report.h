// Reports people print or file (the management review pack, the audit
// report, later custody and service reports): one document model, rendered
// as an HTML fragment for the web page and as a PDF laid out with Pango on
// Cairo (pdf.cpp), charts drawn from the same SVG the pages show.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "core/result.h"

namespace tandem {

struct ReportTable {
  std::vector<std::string> columns;
  std::vector<std::vector<std::string>> rows;
  // Relative column widths (the PDF's); empty: equal.
  std::vector<double> widths;
  std::string empty_text = "None.";  // shown when there are no rows
};

struct ReportBlock {
  enum class Kind {
    kParagraph,  // text
    kNote,       // text, set apart (a warning, what is missing)
    kFacts,      // label: value pairs
    kTable,
    kChart,  // an SVG from core/svg_chart
  };
  Kind kind = Kind::kParagraph;
  std::string text;
  std::vector<std::pair<std::string, std::string>> facts;
  ReportTable table;
  std::string svg;
};

struct ReportSection {
  std::string heading;
  std::vector<ReportBlock> blocks;
  std::vector<ReportSection> subsections;  // one level below
};

struct Report {
  std::string title;
  std::string subtitle;
  std::vector<std::pair<std::string, std::string>> facts;  // period, prepared by, generated at
  std::vector<ReportSection> sections;
  std::string footer;  // on every PDF page beside the page number
};

// Builders that keep report code readable.
ReportBlock Paragraph(std::string text);
ReportBlock Note(std::string text);
ReportBlock Facts(std::vector<std::pair<std::string, std::string>> facts);
ReportBlock Table(ReportTable table);
ReportBlock Chart(std::string svg);

// The report as JSON, block by block, for API clients: {"title", "subtitle",
// "facts", "sections": [{"heading", "blocks": [{"kind", ...}], "subsections"}]}.
std::string ReportJson(const Report& report);
// The report as a page of its own (the HTML fragment with a title and the
// app's style sheet).
std::string ReportDocument(const Report& report);

// The report as an HTML fragment (everything escaped but the charts, which
// are the server's own SVG): <article class="report"> with its sections.
std::string ReportHtml(const Report& report);

// The report as an A4 PDF (DejaVu Sans), headings bold, tables with their
// header row repeated on every page they run onto, "Page n of m" and the
// footer on every page. kInternal when Cairo cannot write it.
Result<std::string> ReportPdf(const Report& report);

}  // namespace tandem
