package org.proxynas.run;

import org.proxynas.proxy.KendallTau;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChartTest {
    @TempDir Path tmp;

    static final double NAN = Double.NaN;

    @Test
    void lineChartDrawsSeriesWithNaNGapsAndMarkers() throws IOException {
        double[] x = {1, 2, 3, 4, 5, 6}, y = {2.0, 1.8, NAN, 1.5, 1.4, 1.2};
        LineChart c = new LineChart("loss", "sample", "loss").series("a", x, y).series("b", x, new double[] {1, 1.1, 1.2, 1.1, 1.0, 0.9})
                .marker(3.5, "search");
        assertTrue(c.hasData());
        Path f = tmp.resolve("line.png");
        c.writePng(f, 640, 360);
        BufferedImage img = ImageIO.read(f.toFile());
        assertEquals(640, img.getWidth());
        assertEquals(360, img.getHeight());
        assertTrue(RunReportTest.distinctColours(img) > 8);
        assertTrue(hasColour(img, ChartStyle.palette(0).getRGB()), "series a drawn in its colour");
        assertTrue(hasColour(img, ChartStyle.palette(1).getRGB()), "series b drawn in its colour");
    }

    @Test
    void emptyAndAllNaNChartsSayNoData() throws IOException {
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
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(c.png(300, 200)));
            assertNotNull(img);
            assertTrue(RunReportTest.distinctColours(img) > 2, "title and 'no data' text are drawn");
        }
    }

    @Test
    void singlePointsAndConstantSeriesDoNotBreakTheScale() throws IOException {
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
            assertNotNull(ImageIO.read(new ByteArrayInputStream(c.png(Chart.WIDTH, Chart.HEIGHT))));
        }
    }

    @Test
    void scatterChartDrawsTheDiagonal() throws IOException {
        ScatterChart c = new ScatterChart("proxy", "measured", "predicted")
                .series("memory", new double[] {1, 2, 3}, new double[] {1.1, 1.9, 3.2});
        BufferedImage img = c.render(900, 500);
        assertTrue(hasColour(img, ChartStyle.MUTED.getRGB()), "dashed diagonal");
    }

    @Test
    void stackedBarsUseTheCategoryColours() {
        StackedBarChart c = new StackedBarChart("ops", "iter", "count", new String[] {"a", "b"}, OpColours.all());
        for (int i = 1; i <= 30; i++) c.bar(i, new double[] {i % 5, 16 - i % 5});
        BufferedImage img = c.render(900, 500);
        assertTrue(hasColour(img, OpColours.all()[0].getRGB()));
        assertTrue(hasColour(img, OpColours.all()[1].getRGB()));
    }

    @Test
    void seriesLengthsMustMatch() {
        assertThrows(IllegalArgumentException.class, () -> new LineChart("t", "x", "y").series("s", new double[2], new double[3]));
        assertThrows(IllegalArgumentException.class, () -> new ScatterChart("t", "x", "y").series("s", new double[2], new double[3]));
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

    @Test
    void kendallTau() {
        assertEquals(1.0, KendallTau.tauBFinite(new double[] {1, 2, 3, 4}, new double[] {10, 20, 30, 40}), 1e-12);
        assertEquals(-1.0, KendallTau.tauBFinite(new double[] {1, 2, 3, 4}, new double[] {4, 3, 2, 1}), 1e-12);
        // scipy.stats.kendalltau([1,2,3,4,5],[3,1,2,5,4]) = 0.4
        assertEquals(0.4, KendallTau.tauBFinite(new double[] {1, 2, 3, 4, 5}, new double[] {3, 1, 2, 5, 4}), 1e-12);
        // with ties (tau-b): C=4, D=0, one tie in x only, one in y only: 4 / sqrt(5 * 5)
        assertEquals(0.8, KendallTau.tauBFinite(new double[] {1, 1, 2, 3}, new double[] {1, 2, 2, 3}), 1e-12);
        assertTrue(Double.isNaN(KendallTau.tauBFinite(new double[] {1, NAN}, new double[] {1, 2})));
        assertTrue(Double.isNaN(KendallTau.tauBFinite(new double[] {1, 1, 1}, new double[] {1, 2, 3})));
    }

    static boolean hasColour(BufferedImage img, int rgb) {
        for (int y = 0; y < img.getHeight(); y++) for (int x = 0; x < img.getWidth(); x++) if ((img.getRGB(x, y) & 0xFFFFFF) == (rgb & 0xFFFFFF)) return true;
        return false;
    }
}
