// Reports (core/report.h): the HTML fragment escapes what it shows, and the
// PDF is checked the way a reader would check it: rendered to images by
// pdftoppm and read back as text by pdftotext (poppler-utils).
#include "core/report.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "core/svg_chart.h"

namespace tandem {
namespace {

namespace fs = std::filesystem;

// What a command prints (stdout), or "" when it fails.
std::string Output(const std::string& command) {
  std::string out;
  FILE* p = popen(command.c_str(), "r");
  if (!p) return out;
  char buf[4096];
  for (size_t n; (n = fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
  return pclose(p) == 0 ? out : "";
}

Report Sample(int rows) {
  Report r{.title = "Management review 2026 Q4",
           .subtitle = "ISMS, SMS and QMS",
           .facts = {{"Period", "2026-07-01 to 2026-12-31"}, {"Chair", "d.mercer"}},
           .footer = "Northbridge Managed Services"};
  ReportTable t{.columns = {"Number", "Title", "State"}, .widths = {1, 4, 1}};
  for (int i = 1; i <= rows; ++i)
    t.rows.push_back({"NC-" + std::to_string(100000 + i), "Nonconformity <b>" + std::to_string(i),
                      i % 2 ? "open" : "closed"});
  ReportSection nc{.heading = "Nonconformities and corrective actions",
                   .blocks = {Paragraph("Status of the period's nonconformities."), Table(t)}};
  LineChart chart{
      .title = "Availability", .x_labels = {"Jan", "Feb"}, .series = {{"Payroll", {99.1, 99.8}}}};
  ReportSection perf{
      .heading = "Measurement results",
      .blocks = {Note("Supplier performance: no data yet"), Chart(LineChartSvg(chart))}};
  r.sections = {nc, perf};
  return r;
}

TEST(Report, HtmlEscapesEverythingButTheCharts) {
  const std::string html = ReportHtml(Sample(3));
  EXPECT_NE(html.find("<h1>Management review 2026 Q4</h1>"), std::string::npos);
  EXPECT_NE(html.find("Nonconformity &lt;b&gt;1"), std::string::npos);
  EXPECT_EQ(html.find("<b>1"), std::string::npos);
  EXPECT_NE(html.find("<svg"), std::string::npos);
  EXPECT_NE(html.find("<p class=\"alert\">Supplier performance: no data yet</p>"),
            std::string::npos);
}

TEST(Report, PdfRendersAndReadsBack) {
  auto pdf = ReportPdf(Sample(150));
  ASSERT_TRUE(pdf.ok()) << pdf.error().detail;
  ASSERT_EQ(pdf->substr(0, 5), "%PDF-");
  const fs::path dir = fs::temp_directory_path() / ("tandem-report-" + std::to_string(getpid()));
  fs::create_directories(dir);
  const fs::path file = dir / "review.pdf";
  std::ofstream(file, std::ios::binary) << *pdf;

  const std::string text = Output("pdftotext -layout " + file.string() + " -");
  ASSERT_FALSE(text.empty()) << "pdftotext could not read the PDF";
  for (const char* expected :
       {"Management review 2026 Q4", "Nonconformities and corrective actions", "NC-100001",
        "NC-100150", "Nonconformity <b>150", "Supplier performance: no data yet",
        "Measurement results", "Northbridge Managed Services", "Page 1 of"})
    EXPECT_NE(text.find(expected), std::string::npos) << expected;
  // 150 rows do not fit one page: the table runs on, its header repeated.
  const std::string info = Output("pdfinfo " + file.string());
  const auto pages_at = info.find("Pages:");
  ASSERT_NE(pages_at, std::string::npos);
  const int pages = std::stoi(info.substr(pages_at + 6));
  EXPECT_GE(pages, 3);
  EXPECT_NE(text.find("Page " + std::to_string(pages) + " of " + std::to_string(pages)),
            std::string::npos);
  size_t headers = 0;
  for (size_t at = 0; (at = text.find("Number", at)) != std::string::npos; ++at) ++headers;
  EXPECT_GE(headers, static_cast<size_t>(pages - 1));

  // Every page renders to an image.
  ASSERT_EQ(
      std::system(("pdftoppm -r 40 -png " + file.string() + " " + (dir / "page").string()).c_str()),
      0);
  int images = 0;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".png" && fs::file_size(e.path()) > 1000) ++images;
  EXPECT_EQ(images, pages);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace tandem
