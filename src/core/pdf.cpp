// Reports as PDF: Pango lays out the text, Cairo writes the pages, librsvg
// draws the charts. The document is laid out twice, the first time only to
// count its pages, so that every page can say "Page n of m".
#include <cairo-pdf.h>
#include <librsvg/rsvg.h>
#include <pango/pangocairo.h>

#include <algorithm>
#include <memory>

#include "core/report.h"

#if defined(__SANITIZE_ADDRESS__)
// fontconfig keeps its font cache for the life of the process by design; Pango
// loads it the first time a report is laid out. LeakSanitizer (the test
// build) would report it at every exit.
extern "C" const char* __lsan_default_suppressions() { return "leak:libfontconfig.so\n"; }
#endif

namespace tandem {

namespace {

// A4 in points, and the margins.
constexpr double kWidth = 595.28, kHeight = 841.89;
constexpr double kLeft = 56, kRight = 56, kTop = 56, kBottom = 64;
constexpr double kContent = kWidth - kLeft - kRight;
constexpr double kCellPad = 3;

cairo_status_t Append(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

cairo_status_t Discard(void*, const unsigned char*, unsigned int) { return CAIRO_STATUS_SUCCESS; }

struct FontDeleter {
  void operator()(PangoFontDescription* f) const { pango_font_description_free(f); }
};
using Font = std::unique_ptr<PangoFontDescription, FontDeleter>;

Font MakeFont(const char* description) {
  return Font(pango_font_description_from_string(description));
}

class Writer {
 public:
  // `total_pages` 0: not known yet (the counting pass).
  Writer(cairo_surface_t* surface, const Report& report, int total_pages)
      : cr_(cairo_create(surface)), report_(report), total_(total_pages) {}
  ~Writer() { cairo_destroy(cr_); }

  void Write() {
    NewPage();
    Text(report_.title, title_.get(), kContent, kLeft, 6);
    if (!report_.subtitle.empty()) Text(report_.subtitle, body_.get(), kContent, kLeft, 8);
    if (!report_.facts.empty()) FactsBlock(report_.facts);
    for (const auto& s : report_.sections) Section(s, 1);
    Finish();
  }

  int pages() const { return page_; }

 private:
  // A layout of `text` wrapped at `width`.
  PangoLayout* Layout(const std::string& text, const PangoFontDescription* font, double width) {
    PangoLayout* layout = pango_cairo_create_layout(cr_);
    pango_layout_set_font_description(layout, font);
    pango_layout_set_width(layout, static_cast<int>(width * PANGO_SCALE));
    pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_text(layout, text.data(), static_cast<int>(text.size()));
    return layout;
  }

  double Height(PangoLayout* layout) {
    int w = 0, h = 0;
    pango_layout_get_size(layout, &w, &h);
    return static_cast<double>(h) / PANGO_SCALE;
  }

  void NewPage() {
    if (page_ > 0) {
      Footer();
      cairo_show_page(cr_);
    }
    ++page_;
    y_ = kTop;
  }

  void Finish() { Footer(); }

  void Footer() {
    std::string text = report_.footer.empty() ? "" : report_.footer + "  ·  ";
    text += "Page " + std::to_string(page_);
    if (total_ > 0) text += " of " + std::to_string(total_);
    PangoLayout* layout = Layout(text, small_.get(), kContent);
    pango_layout_set_alignment(layout, PANGO_ALIGN_RIGHT);
    cairo_set_source_rgb(cr_, 0.35, 0.35, 0.35);
    cairo_move_to(cr_, kLeft, kHeight - kBottom + 20);
    pango_cairo_show_layout(cr_, layout);
    cairo_set_source_rgb(cr_, 0, 0, 0);
    g_object_unref(layout);
  }

  // Room for `h` points, or a new page.
  void Need(double h) {
    if (y_ + h > kHeight - kBottom && y_ > kTop) NewPage();
  }

  // Wrapped text, line by line, so that a long paragraph runs onto the next
  // page; then `after` points of space.
  void Text(const std::string& text, const PangoFontDescription* font, double width, double x,
            double after) {
    PangoLayout* layout = Layout(text, font, width);
    PangoLayoutIter* it = pango_layout_get_iter(layout);
    do {
      PangoRectangle logical;
      pango_layout_iter_get_line_extents(it, nullptr, &logical);
      const double h = static_cast<double>(logical.height) / PANGO_SCALE;
      Need(h);
      const double baseline =
          static_cast<double>(pango_layout_iter_get_baseline(it) - logical.y) / PANGO_SCALE;
      cairo_move_to(cr_, x, y_ + baseline);
      pango_cairo_show_layout_line(cr_, pango_layout_iter_get_line_readonly(it));
      y_ += h;
    } while (pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
    g_object_unref(layout);
    y_ += after;
  }

  void Section(const ReportSection& s, int level) {
    Need(40);  // a heading is not left alone at the foot of a page
    y_ += level == 1 ? 8 : 4;
    Text(s.heading, level == 1 ? h1_.get() : h2_.get(), kContent, kLeft, 4);
    for (const auto& b : s.blocks) Block(b);
    for (const auto& sub : s.subsections) Section(sub, level + 1);
  }

  void Block(const ReportBlock& b) {
    switch (b.kind) {
      case ReportBlock::Kind::kParagraph:
        Text(b.text, body_.get(), kContent, kLeft, 6);
        break;
      case ReportBlock::Kind::kNote:
        Text(b.text, note_.get(), kContent - 12, kLeft + 12, 6);
        break;
      case ReportBlock::Kind::kFacts:
        FactsBlock(b.facts);
        break;
      case ReportBlock::Kind::kTable:
        TableBlock(b.table);
        break;
      case ReportBlock::Kind::kChart:
        ChartBlock(b.svg);
        break;
    }
  }

  void FactsBlock(const std::vector<std::pair<std::string, std::string>>& facts) {
    ReportTable t;
    t.widths = {0.3, 0.7};
    for (const auto& [label, value] : facts) t.rows.push_back({label, value});
    Rows(t, false);
    y_ += 6;
  }

  void TableBlock(const ReportTable& t) {
    if (t.rows.empty()) {
      Text(t.empty_text, body_.get(), kContent, kLeft, 6);
      return;
    }
    Rows(t, true);
    y_ += 8;
  }

  std::vector<double> Widths(const ReportTable& t, size_t n) {
    std::vector<double> w = t.widths.size() == n ? t.widths : std::vector<double>(n, 1.0);
    double sum = 0;
    for (double v : w) sum += v;
    for (double& v : w) v = v / sum * kContent;
    return w;
  }

  // One row: its height, drawn only when `draw`.
  double Row(const std::vector<std::string>& cells, const std::vector<double>& widths,
             const PangoFontDescription* font, bool draw, bool shade) {
    double h = 0;
    std::vector<PangoLayout*> layouts;
    for (size_t i = 0; i < widths.size(); ++i) {
      layouts.push_back(Layout(i < cells.size() ? cells[i] : "", font, widths[i] - 2 * kCellPad));
      h = std::max(h, Height(layouts.back()));
    }
    h += 2 * kCellPad;
    if (draw) {
      double x = kLeft;
      if (shade) {
        cairo_set_source_rgb(cr_, 0.92, 0.93, 0.95);
        cairo_rectangle(cr_, kLeft, y_, kContent, h);
        cairo_fill(cr_);
        cairo_set_source_rgb(cr_, 0, 0, 0);
      }
      for (size_t i = 0; i < layouts.size(); ++i) {
        cairo_move_to(cr_, x + kCellPad, y_ + kCellPad);
        pango_cairo_show_layout(cr_, layouts[i]);
        x += widths[i];
      }
      cairo_set_source_rgb(cr_, 0.75, 0.75, 0.75);
      cairo_set_line_width(cr_, 0.5);
      cairo_move_to(cr_, kLeft, y_ + h);
      cairo_line_to(cr_, kLeft + kContent, y_ + h);
      cairo_stroke(cr_);
      cairo_set_source_rgb(cr_, 0, 0, 0);
    }
    for (auto* l : layouts) g_object_unref(l);
    return h;
  }

  // Rows of `t`, a row never split; the header (when `header`) starts the
  // table and every page it runs onto.
  void Rows(const ReportTable& t, bool header) {
    const size_t n = header ? t.columns.size() : 2;
    const auto widths = Widths(t, n);
    auto draw_header = [&] {
      if (!header) return;
      y_ += Row(t.columns, widths, bold_small_.get(), true, true);
    };
    const double header_h = header ? Row(t.columns, widths, bold_small_.get(), false, false) : 0;
    Need(header_h + 20);
    draw_header();
    for (const auto& r : t.rows) {
      const double h = Row(r, widths, small_body_.get(), false, false);
      if (y_ + h > kHeight - kBottom) {
        NewPage();
        draw_header();
      }
      y_ += Row(r, widths, small_body_.get(), true, false);
    }
  }

  void ChartBlock(const std::string& svg) {
    GError* error = nullptr;
    RsvgHandle* handle =
        rsvg_handle_new_from_data(reinterpret_cast<const guint8*>(svg.data()), svg.size(), &error);
    if (!handle) {
      if (error) g_error_free(error);
      Text("(chart could not be drawn)", note_.get(), kContent, kLeft, 6);
      return;
    }
    gdouble w = 0, h = 0;
    if (!rsvg_handle_get_intrinsic_size_in_pixels(handle, &w, &h) || w <= 0 || h <= 0) {
      w = 480;
      h = 300;
    }
    const double scale = std::min(1.0, kContent / w) * 0.8;  // px at 96 dpi to a little under pt
    const double dw = w * scale, dh = h * scale;
    Need(dh);
    RsvgRectangle viewport{kLeft, y_, dw, dh};
    rsvg_handle_render_document(handle, cr_, &viewport, &error);
    if (error) g_error_free(error);
    g_object_unref(handle);
    y_ += dh + 8;
  }

  cairo_t* cr_;
  const Report& report_;
  int total_;
  int page_ = 0;
  double y_ = kTop;
  Font title_ = MakeFont("DejaVu Sans Bold 18");
  Font h1_ = MakeFont("DejaVu Sans Bold 13");
  Font h2_ = MakeFont("DejaVu Sans Bold 11");
  Font body_ = MakeFont("DejaVu Sans 9.5");
  Font note_ = MakeFont("DejaVu Sans Oblique 9.5");
  Font small_body_ = MakeFont("DejaVu Sans 8");
  Font bold_small_ = MakeFont("DejaVu Sans Bold 8");
  Font small_ = MakeFont("DejaVu Sans 7.5");
};

}  // namespace

Result<std::string> ReportPdf(const Report& report) {
  int pages = 0;
  {
    cairo_surface_t* counting =
        cairo_pdf_surface_create_for_stream(Discard, nullptr, kWidth, kHeight);
    {
      Writer w(counting, report, 0);
      w.Write();
      pages = w.pages();
    }
    cairo_surface_destroy(counting);
  }
  std::string out;
  cairo_surface_t* surface = cairo_pdf_surface_create_for_stream(Append, &out, kWidth, kHeight);
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, report.title.c_str());
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "Tandem");
  {
    Writer w(surface, report, pages);
    w.Write();
  }
  cairo_surface_finish(surface);
  const cairo_status_t status = cairo_surface_status(surface);
  cairo_surface_destroy(surface);
  if (status != CAIRO_STATUS_SUCCESS)
    return MakeError(ErrorCode::kInternal, std::string("the PDF could not be written: ") +
                                               cairo_status_to_string(status));
  return out;
}

}  // namespace tandem
