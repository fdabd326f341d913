package org.proxynas.chart;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChartTest {
    static final double NAN = Double.NaN;

    /** Parses with the JDK's XML parser: a malformed document fails the test. */
    static Document parse(String svg) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    static List<Element> groups(Document d, String role) {
        List<Element> out = new ArrayList<>();
        NodeList gs = d.getElementsByTagName("g");
        for (int i = 0; i < gs.getLength(); i++) if (((Element) gs.item(i)).getAttribute("class").equals(role)) out.add((Element) gs.item(i));
        return out;
    }

    static List<String> texts(Element root) {
        List<String> out = new ArrayList<>();
        NodeList ts = root.getElementsByTagName("text");
        for (int i = 0; i < ts.getLength(); i++) out.add(ts.item(i).getTextContent());
        return out;
    }

    static int points(Element series, String tag) {
        int n = 0;
        NodeList ls = series.getElementsByTagName(tag);
        for (int i = 0; i < ls.getLength(); i++) n += ((Element) ls.item(i)).getAttribute("points").trim().split("\\s+").length;
        return n;
    }

    @Test
    void lineChartSvgHasEverySeriesPointLabelAndBand() throws Exception {
        double[] x = {1, 2, 3, 4, 5, 6}, y = {2.0, 1.8, NAN, 1.5, 1.4, 1.2};
        LineChart c = new LineChart("loss & <accuracy>", "sample", "loss")
                .series("a", x, y)
                .series("b", x, new double[] {1, 1.1, 1.2, 1.1, 1.0, 0.9}, ChartStyle.palette(1), LineChart.Style.LINE_AND_POINTS)
                .band(x, new double[] {0.9, 1.0, 1.1, 1.0, 0.9, 0.8}, new double[] {1.1, 1.2, 1.3, 1.2, 1.1, 1.0}, ChartStyle.palette(1))
                .series("nothing", x, new double[6])
                .marker(3.5, "search");
        c.series("all NaN", new double[] {1, 2}, new double[] {NAN, NAN});
        Document d = parse(c.svg(640, 360, "t"));
        assertEquals("640", d.getDocumentElement().getAttribute("width"));
        assertEquals("loss & <accuracy>", texts(groups(d, "title").getFirst()).getFirst(), "title escaped and kept");

        List<Element> series = groups(d, "series");
        assertEquals(3, series.size(), "the all-NaN series is not drawn");
        // series a: the NaN at x=3 splits the line into two polylines of 2 and 3 points
        assertEquals(2, series.get(0).getElementsByTagName("polyline").getLength());
        assertEquals(5, points(series.get(0), "polyline"));
        assertEquals(0, series.get(0).getElementsByTagName("circle").getLength());
        // series b: one line and six dots; its band one polygon (6 high + 6 low corners), under the lines
        assertEquals(6, points(series.get(1), "polyline"));
        assertEquals(6, series.get(1).getElementsByTagName("circle").getLength());
        assertEquals(12, points(groups(d, "band").getFirst(), "polygon"));
        assertEquals("0.2", ((Element) groups(d, "band").getFirst().getElementsByTagName("polygon").item(0)).getAttribute("fill-opacity"));
        assertEquals(ChartStyle.palette(1).hex(), ((Element) series.get(1).getElementsByTagName("polyline").item(0)).getAttribute("stroke"));

        assertEquals(List.of("a", "b", "nothing"), texts(groups(d, "legend").getFirst()), "legend: drawable series only");
        assertEquals(List.of("search"), texts(groups(d, "marker").getFirst()));
        assertEquals(List.of("sample", "loss"), texts(groups(d, "axis-titles").getFirst()));
        // y ticks 0, 0.2, ..., 2.0 (the "nothing" series is all 0), then x ticks 1.0, 1.5, ..., 6.0
        List<String> ticks = texts(groups(d, "ticks").getFirst());
        assertEquals(11 + 11, ticks.size(), ticks.toString());
        assertEquals(List.of("0", "2.0", "1.0", "6.0"), List.of(ticks.get(0), ticks.get(10), ticks.get(11), ticks.get(21)));
    }

    @Test
    void everyChartTypeIsWellFormedSvgWithItsParts() throws Exception {
        Document scatter = parse(new ScatterChart("proxy", "measured", "predicted")
                .series("memory", new double[] {1, 2, 3}, new double[] {1.1, 1.9, 3.2})
                .series("held out", new double[] {1.5, NAN}, new double[] {1.4, 2}).svg("s"));
        List<Element> s = groups(scatter, "series");
        assertEquals(2, s.size());
        assertEquals(3, s.get(0).getElementsByTagName("circle").getLength());
        assertEquals(1, s.get(1).getElementsByTagName("circle").getLength(), "the NaN point is left out");
        assertEquals(List.of("memory", "held out", "y = x"), texts(groups(scatter, "legend").getFirst()));
        assertEquals(1, groups(scatter, "plot").getFirst().getElementsByTagName("line").getLength(), "the diagonal");

        StackedBarChart bars = new StackedBarChart("ops", "iter", "count", new String[] {"a", "b"}, new Colour[] {Colour.of(0x123456)});
        for (int i = 1; i <= 30; i++) bars.bar(i, new double[] {i % 5, 16 - i % 5});
        Document b = parse(bars.svg("b"));
        assertEquals(30, groups(b, "bar").size());
        Set<String> fills = new HashSet<>();
        NodeList rects = groups(b, "plot").getFirst().getElementsByTagName("rect");
        for (int i = 0; i < rects.getLength(); i++) fills.add(((Element) rects.item(i)).getAttribute("fill"));
        assertEquals(Set.of("#123456", ChartStyle.palette(1).hex()), fills, "given colour, then the palette");
        assertEquals(54, rects.getLength(), "30 bars x 2 parts less the 6 zero parts");

        double[][] v = {{0, 1, 2}, {3, 4, NAN}};
        Document h = parse(new HeatMap("alpha", v, new String[] {"r0", "r1"}, new String[] {"c0", "c1", "c2"})
                .highlight(new boolean[][] {{false, true, false}, {true, false, false}}, "kept").svg("h"));
        Element cells = groups(h, "cells").getFirst();
        assertEquals(6, cells.getElementsByTagName("rect").getLength());
        assertEquals(List.of("0.00", "1.00", "2.00", "3.00", "4.00", "NaN"), texts(cells));
        assertEquals(2, groups(h, "highlight").getFirst().getElementsByTagName("rect").getLength());
        assertEquals(HeatMap.colour(1).hex(), ((Element) cells.getElementsByTagName("rect").item(4)).getAttribute("fill"), "max in top colour");
        assertEquals(List.of("c0", "c1", "c2", "r0", "r1"), texts(groups(h, "labels").getFirst()));
    }

    @Test
    void emptyAndAllNaNChartsSayNoData() throws Exception {
        Chart[] charts = {
            new LineChart("t", "x", "y"),
            new LineChart("t", "x", "y").series("nan", new double[] {1, 2}, new double[] {NAN, NAN}),
            new ScatterChart("t", "x", "y").series("s", new double[] {NAN}, new double[] {1}),
            new HeatMap("t", new double[][] {{NAN, NAN}}, null, null),
            new HeatMap("t", new double[0][], null, null),
            new StackedBarChart("t", "x", "y", new String[] {"a", "b"}, null),
        };
        for (Chart c : charts) {
            assertFalse(c.hasData(), c.getClass().getSimpleName());
            Document d = parse(c.svg(300, 200, "e"));
            assertEquals(List.of("t", "no data"), texts(d.getDocumentElement()), c.getClass().getSimpleName());
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(c.png(300, 200)));
            assertNotNull(img);
            assertTrue(distinctColours(img) > 2, "title and 'no data' text are drawn");
        }
    }

    @Test
    void singlePointsAndConstantSeriesDoNotBreakTheScale() throws Exception {
        Chart[] charts = {
            new LineChart("one", "x", "y").series("p", new double[] {5}, new double[] {1.0}),
            new LineChart("const", "x", "y").series("p", new double[] {1, 2, 3}, new double[] {0, 0, 0}),
            new ScatterChart("one", "x", "y").series("p", new double[] {1}, new double[] {1}),
            new HeatMap("const", new double[][] {{1, 1}, {1, 1}}, new String[] {"r0", "r1"}, new String[] {"c0", "c1"}),
            new StackedBarChart("one", "x", "y", new String[] {"a"}, null).bar(3, new double[] {2}),
            new LineChart("huge", "x", "y").series("p", new double[] {1, 2}, new double[] {1e-9, 3e9}),
        };
        for (Chart c : charts) {
            assertTrue(c.hasData());
            Document d = parse(c.svg("p"));
            assertTrue(texts(d.getDocumentElement()).size() > 3, c.title() + ": ticks or labels drawn");
            assertNotNull(ImageIO.read(new ByteArrayInputStream(c.png(Chart.WIDTH, Chart.HEIGHT))));
        }
        // a single point would be invisible as a line: it is drawn as a dot
        Document one = parse(charts[0].svg("o"));
        assertEquals(1, groups(one, "series").getFirst().getElementsByTagName("circle").getLength());
    }

    @Test
    void pngDrawsTheSameChartInItsColours() {
        double[] x = {1, 2, 3, 4, 5, 6};
        LineChart line = new LineChart("loss", "sample", "loss").series("a", x, new double[] {2.0, 1.8, NAN, 1.5, 1.4, 1.2})
                .series("b", x, new double[] {1, 1.1, 1.2, 1.1, 1.0, 0.9});
        BufferedImage img = Png.render(List.of(line), 640, 360);
        assertEquals(640, img.getWidth());
        assertEquals(360, img.getHeight());
        assertTrue(hasColour(img, ChartStyle.palette(0)), "series a drawn in its colour");
        assertTrue(hasColour(img, ChartStyle.palette(1)), "series b drawn in its colour");
        StackedBarChart bars = new StackedBarChart("ops", "iter", "count", new String[] {"a", "b"}, null);
        for (int i = 1; i <= 30; i++) bars.bar(i, new double[] {i % 5, 16 - i % 5});
        BufferedImage b = Png.render(List.of(bars), 900, 500);
        assertTrue(hasColour(b, ChartStyle.palette(0)) && hasColour(b, ChartStyle.palette(1)));
        BufferedImage stack = Png.render(List.of(line, bars), 900, 440);
        assertEquals(880, stack.getHeight(), "panels one above the other");
    }

    @Test
    void svgStackHasOneGroupPerPanel() throws Exception {
        LineChart a = new LineChart("a", "x", "y").series("s", new double[] {1, 2}, new double[] {1, 2});
        Document d = parse(Chart.svgStack(List.of(a, a, a), 900, 440, "stack"));
        assertEquals("1320", d.getDocumentElement().getAttribute("height"));
        assertEquals(3, groups(d, "panel").size());
        assertEquals("translate(0 880)", groups(d, "panel").get(2).getAttribute("transform"));
    }

    @Test
    void badInputIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new LineChart("t", "x", "y").series("s", new double[2], new double[3]));
        assertTrue(e.getMessage().contains("series s"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ScatterChart("t", "x", "y").series("s", new double[2], new double[3]));
        assertThrows(IllegalArgumentException.class,
                () -> new LineChart("t", "x", "y").band(new double[2], new double[2], new double[3], ChartStyle.palette(0)));
        assertThrows(IllegalArgumentException.class, () -> new SvgCanvas(10, 10, "1bad"));
    }

    @Test
    void niceScaleCoversTheData() {
        Scale s = Scale.nice(0.37, 2.41, 8);
        assertTrue(s.min() <= 0.37 && s.max() >= 2.41);
        double[] t = s.ticks();
        assertTrue(t.length >= 4 && t.length <= 12, "ticks: " + t.length);
        Scale d = Scale.nice(3, 3, 8);
        assertTrue(d.max() > d.min());
    }

    static boolean hasColour(BufferedImage img, Colour c) {
        for (int y = 0; y < img.getHeight(); y++) for (int x = 0; x < img.getWidth(); x++) if ((img.getRGB(x, y) & 0xFFFFFF) == c.rgb()) return true;
        return false;
    }

    static int distinctColours(BufferedImage img) {
        Set<Integer> s = new HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 2) for (int x = 0; x < img.getWidth(); x += 2) s.add(img.getRGB(x, y));
        return s.size();
    }
}
