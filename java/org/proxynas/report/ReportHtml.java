package org.proxynas.report;

import org.proxynas.chart.SvgCanvas;

import java.util.ArrayList;
import java.util.List;

/** Builds report.html: a small HTML5 page, all text escaped, images and files referenced relative to the run directory. */
public final class ReportHtml {
    private final StringBuilder b = new StringBuilder(32 * 1024);

    public ReportHtml(String title) {
        b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>").append(esc(title))
                .append("</title>\n<style>\n")
                .append("body{font-family:system-ui,-apple-system,'Segoe UI',Helvetica,Arial,sans-serif;margin:24px auto;"
                        + "max-width:1000px;color:#222;line-height:1.45;padding:0 16px}\n")
                .append("h1{font-size:1.6em;margin-bottom:0.2em}h2{border-bottom:1px solid #ddd;padding-bottom:4px;margin-top:2em}\n")
                .append("table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ddd;padding:4px 10px;text-align:left}"
                        + "th{background:#f4f4f4}td.num{text-align:right;font-variant-numeric:tabular-nums}\n")
                .append("pre{background:#f7f7f7;border:1px solid #e2e2e2;padding:10px;overflow-x:auto;font-size:0.9em}\n")
                .append("figure{margin:16px 0}figure img,figure svg{max-width:100%;height:auto;border:1px solid #eee}"
                        + "figcaption{color:#555;font-size:0.92em}\n")
                .append(".na{color:#8a6d3b;background:#fcf8e3;border:1px solid #faebcc;padding:6px 10px;border-radius:4px}\n")
                .append(".meta{color:#666}nav a{margin-right:12px}\n")
                .append("</style>\n</head>\n<body>\n");
    }

    static String esc(String s) { return s == null ? "" : SvgCanvas.escape(s); }

    /** A relative link target: file names are plain, but escape anyway. */
    static String href(String file) {
        return esc(file.replace("%", "%25").replace(" ", "%20").replace("#", "%23").replace("?", "%3F"));
    }

    public ReportHtml h1(String text) { b.append("<h1>").append(esc(text)).append("</h1>\n"); return this; }

    public ReportHtml h2(String id, String text) {
        b.append("<h2 id=\"").append(esc(id)).append("\">").append(esc(text)).append("</h2>\n");
        return this;
    }

    public ReportHtml h3(String text) { b.append("<h3>").append(esc(text)).append("</h3>\n"); return this; }

    public ReportHtml p(String text) { b.append("<p>").append(esc(text)).append("</p>\n"); return this; }

    public ReportHtml meta(String text) { b.append("<p class=\"meta\">").append(esc(text)).append("</p>\n"); return this; }

    public ReportHtml notAvailable(String what, String why) {
        b.append("<p class=\"na\">").append(esc(what)).append(" not available: ").append(esc(why)).append("</p>\n");
        return this;
    }

    public ReportHtml warning(String text) {
        b.append("<p class=\"na\">").append(esc(text)).append("</p>\n");
        return this;
    }

    public ReportHtml pre(String text) { b.append("<pre>").append(esc(text)).append("</pre>\n"); return this; }

    public ReportHtml nav(List<String[]> idAndLabel) {
        b.append("<nav>");
        for (String[] e : idAndLabel) b.append("<a href=\"#").append(esc(e[0])).append("\">").append(esc(e[1])).append("</a>");
        b.append("</nav>\n");
        return this;
    }

    public ReportHtml figure(String file, String caption, String alt) {
        b.append("<figure><a href=\"").append(href(file)).append("\"><img src=\"").append(href(file)).append("\" alt=\"")
                .append(esc(alt)).append("\"></a><figcaption>").append(esc(caption)).append(" (<a href=\"").append(href(file))
                .append("\">").append(esc(file)).append("</a>)</figcaption></figure>\n");
        return this;
    }

    /**
     * A chart inlined as SVG markup (generated here, so trusted as is), with links to its SVG file and, when given,
     * its PNG copy.
     */
    ReportHtml inlineFigure(String svg, String caption, String alt, String svgFile, String pngFile) {
        b.append("<figure role=\"img\" aria-label=\"").append(esc(alt)).append("\">\n").append(svg)
                .append("<figcaption>").append(esc(caption)).append(" (<a href=\"").append(href(svgFile)).append("\">")
                .append(esc(svgFile)).append("</a>");
        if (pngFile != null) b.append(", <a href=\"").append(href(pngFile)).append("\">").append(esc(pngFile)).append("</a>");
        b.append(")</figcaption></figure>\n");
        return this;
    }

    /** A list of links: each entry is {file, description}. */
    public ReportHtml links(List<String[]> files) {
        b.append("<ul>\n");
        for (String[] f : files) {
            b.append("<li><a href=\"").append(href(f[0])).append("\">").append(esc(f[0])).append("</a>");
            if (f.length > 1 && f[1] != null && !f[1].isEmpty()) b.append(" — ").append(esc(f[1]));
            b.append("</li>\n");
        }
        b.append("</ul>\n");
        return this;
    }

    /** A table; header may be null; cells that look numeric are right-aligned. */
    public ReportHtml table(String[] header, List<String[]> rows) {
        b.append("<table>\n");
        if (header != null) {
            b.append("<tr>");
            for (String h : header) b.append("<th>").append(esc(h)).append("</th>");
            b.append("</tr>\n");
        }
        for (String[] row : rows) {
            b.append("<tr>");
            for (int i = 0; i < row.length; i++) {
                boolean key = header == null && i == 0;
                String tag = key ? "th" : "td";
                boolean num = !key && row[i] != null && row[i].matches("[-+]?[0-9.,]+(e[-+]?[0-9]+)?%?( s)?");
                b.append('<').append(tag).append(num ? " class=\"num\"" : "").append('>').append(esc(row[i]))
                        .append("</").append(tag).append('>');
            }
            b.append("</tr>\n");
        }
        b.append("</table>\n");
        return this;
    }

    public String finish() {
        b.append("</body>\n</html>\n");
        return b.toString();
    }

    public static List<String[]> rows() { return new ArrayList<>(); }
}
