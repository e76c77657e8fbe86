#include "core/report.h"

#include <nlohmann/json.hpp>

#include "core/svg_chart.h"

namespace tandem {

ReportBlock Paragraph(std::string text) {
  return {.kind = ReportBlock::Kind::kParagraph, .text = std::move(text)};
}
ReportBlock Note(std::string text) {
  return {.kind = ReportBlock::Kind::kNote, .text = std::move(text)};
}
ReportBlock Facts(std::vector<std::pair<std::string, std::string>> facts) {
  return {.kind = ReportBlock::Kind::kFacts, .facts = std::move(facts)};
}
ReportBlock Table(ReportTable table) {
  return {.kind = ReportBlock::Kind::kTable, .table = std::move(table)};
}
ReportBlock Chart(std::string svg) {
  return {.kind = ReportBlock::Kind::kChart, .svg = std::move(svg)};
}

namespace {

void FactsHtml(std::string& out, const std::vector<std::pair<std::string, std::string>>& facts) {
  out += "<dl class=\"facts\">";
  for (const auto& [label, value] : facts)
    out += "<dt>" + SvgEscape(label) + "</dt><dd>" + SvgEscape(value) + "</dd>";
  out += "</dl>\n";
}

void BlockHtml(std::string& out, const ReportBlock& b) {
  switch (b.kind) {
    case ReportBlock::Kind::kParagraph:
      out += "<p>" + SvgEscape(b.text) + "</p>\n";
      break;
    case ReportBlock::Kind::kNote:
      out += "<p class=\"alert\">" + SvgEscape(b.text) + "</p>\n";
      break;
    case ReportBlock::Kind::kFacts:
      FactsHtml(out, b.facts);
      break;
    case ReportBlock::Kind::kTable: {
      const auto& t = b.table;
      if (t.rows.empty()) {
        out += "<p class=\"hint\">" + SvgEscape(t.empty_text) + "</p>\n";
        break;
      }
      out += "<div class=\"scroll\" tabindex=\"0\"><table><thead><tr>";
      for (const auto& c : t.columns) out += "<th scope=\"col\">" + SvgEscape(c) + "</th>";
      out += "</tr></thead><tbody>\n";
      for (const auto& row : t.rows) {
        out += "<tr>";
        for (const auto& cell : row) out += "<td>" + SvgEscape(cell) + "</td>";
        out += "</tr>\n";
      }
      out += "</tbody></table></div>\n";
      break;
    }
    case ReportBlock::Kind::kChart:
      out += "<figure class=\"chart\">" + b.svg + "</figure>\n";
      break;
  }
}

void SectionHtml(std::string& out, const ReportSection& s, int level) {
  const std::string h = "h" + std::to_string(level);
  out += "<section><" + h + ">" + SvgEscape(s.heading) + "</" + h + ">\n";
  for (const auto& b : s.blocks) BlockHtml(out, b);
  for (const auto& sub : s.subsections) SectionHtml(out, sub, level + 1);
  out += "</section>\n";
}

}  // namespace

std::string ReportHtml(const Report& r) {
  std::string out = "<article class=\"report\">\n<h1>" + SvgEscape(r.title) + "</h1>\n";
  if (!r.subtitle.empty()) out += "<p class=\"subtitle\">" + SvgEscape(r.subtitle) + "</p>\n";
  if (!r.facts.empty()) FactsHtml(out, r.facts);
  for (const auto& s : r.sections) SectionHtml(out, s, 2);
  return out + "</article>\n";
}

namespace {

nlohmann::json FactsJson(const std::vector<std::pair<std::string, std::string>>& facts) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& [label, value] : facts) out.push_back({{"label", label}, {"value", value}});
  return out;
}

nlohmann::json SectionJson(const ReportSection& s) {
  nlohmann::json blocks = nlohmann::json::array();
  for (const auto& b : s.blocks) {
    switch (b.kind) {
      case ReportBlock::Kind::kParagraph:
        blocks.push_back({{"kind", "paragraph"}, {"text", b.text}});
        break;
      case ReportBlock::Kind::kNote:
        blocks.push_back({{"kind", "note"}, {"text", b.text}});
        break;
      case ReportBlock::Kind::kFacts:
        blocks.push_back({{"kind", "facts"}, {"facts", FactsJson(b.facts)}});
        break;
      case ReportBlock::Kind::kTable:
        blocks.push_back({{"kind", "table"}, {"columns", b.table.columns}, {"rows", b.table.rows}});
        break;
      case ReportBlock::Kind::kChart:
        blocks.push_back({{"kind", "chart"}, {"svg", b.svg}});
        break;
    }
  }
  nlohmann::json subs = nlohmann::json::array();
  for (const auto& sub : s.subsections) subs.push_back(SectionJson(sub));
  return {{"heading", s.heading}, {"blocks", blocks}, {"subsections", subs}};
}

}  // namespace

std::string ReportJson(const Report& r) {
  nlohmann::json sections = nlohmann::json::array();
  for (const auto& s : r.sections) sections.push_back(SectionJson(s));
  return nlohmann::json{{"title", r.title},
                        {"subtitle", r.subtitle},
                        {"facts", FactsJson(r.facts)},
                        {"sections", sections}}
      .dump();
}

std::string ReportDocument(const Report& r) {
  return "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" +
         SvgEscape(r.title) +
         "</title><link rel=\"stylesheet\" href=\"/static/app.css\"></head><body><main>" +
         ReportHtml(r) + "</main></body></html>\n";
}

}  // namespace tandem
