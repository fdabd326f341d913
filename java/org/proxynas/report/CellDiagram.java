package org.proxynas.report;

import org.proxynas.space.CellTopology;
import org.proxynas.space.CellType;
import org.proxynas.space.Gene;
import org.proxynas.space.Genotype;
import org.proxynas.space.Primitive;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * One cell of a genotype as a graph: inputs c_{k-2} and c_{k-1}, intermediate nodes 0..3, output c_{k}; one edge
 * per gene labelled with its operation, and the concat edges into the output. As Graphviz DOT text (the same shape
 * as DARTS's visualize.py) and as a self-contained SVG laid out here (layered left to right, no Graphviz needed).
 */
public final class CellDiagram {
    private CellDiagram() {}

    private static final String[] INPUT_NAMES = {"c_{k-2}", "c_{k-1}"};
    private static final String OUTPUT_NAME = "c_{k}";

    /** DOT name of state s (0, 1 = inputs, 2+i = node i). */
    static String stateName(int s) { return s < CellTopology.INPUTS ? INPUT_NAMES[s] : Integer.toString(s - CellTopology.INPUTS); }

    /** Graphviz DOT text of one cell. */
    public static String dot(Genotype genotype, CellType cell) {
        StringBuilder b = new StringBuilder();
        b.append("digraph ").append(cell.key()).append(" {\n");
        b.append("  rankdir=LR;\n");
        b.append("  label=\"").append(cell.key()).append(" cell\"; labelloc=t; fontname=\"helvetica\";\n");
        b.append("  node [style=\"filled,rounded\", shape=rect, fontsize=18, height=0.5, width=0.5, penwidth=2, "
                + "fontname=\"helvetica\"];\n");
        b.append("  edge [fontsize=14, fontname=\"helvetica\"];\n");
        for (String in : INPUT_NAMES) b.append("  \"").append(in).append("\" [fillcolor=darkseagreen2];\n");
        for (int i = 0; i < CellTopology.NODES; i++) b.append("  \"").append(i).append("\" [fillcolor=lightblue];\n");
        b.append("  \"").append(OUTPUT_NAME).append("\" [fillcolor=palegoldenrod];\n");
        List<Gene> genes = genotype.genes(cell);
        for (int slot = 0; slot < genes.size(); slot++) {
            Gene g = genes.get(slot);
            b.append("  \"").append(stateName(g.input())).append("\" -> \"").append(Genotype.nodeOfSlot(slot))
                    .append("\" [label=\"").append(g.op().dartsName()).append("\", color=\"").append(OpColours.hex(g.op()))
                    .append("\", fontcolor=\"").append(OpColours.hex(g.op())).append('"')
                    .append(g.op() == Primitive.NONE ? ", style=dashed" : "").append("];\n");
        }
        for (int s : genotype.concat(cell)) {
            b.append("  \"").append(stateName(s)).append("\" -> \"").append(OUTPUT_NAME).append("\" [color=gray];\n");
        }
        b.append("}\n");
        return b.toString();
    }

    // ---------------------------------------------------------------- SVG

    private static final int BOX_W = 70, BOX_H = 36, COL = 240, ROW = 84, MARGIN = 24, TITLE_H = 40;
    private static final double CHAR_W = 7.0, LABEL_H = 16, CLEAR = 12;

    /** One drawn edge: source and target state (target STATES = output), op (null for concat), route and ports. */
    private static final class Route {
        final int from, to;
        final Primitive op;
        final List<double[]> points = new ArrayList<>(); // source port, waypoints, target port
        double outPort, inPort;

        Route(int from, int to, Primitive op) {
            this.from = from;
            this.to = to;
            this.op = op;
        }
    }

    /**
     * A self-contained SVG of one cell (well-formed XML). Layout: states in columns by their depth from the inputs;
     * an edge that skips columns is routed through free space in the columns it crosses; edges leave and enter boxes
     * at spread ports; each operation label sits just before the arrow it names, in the edge's colour.
     */
    public static String svg(Genotype genotype, CellType cell) {
        List<Gene> genes = genotype.genes(cell);
        List<Integer> concat = genotype.concat(cell);
        int out = CellTopology.STATES;
        int[] layer = new int[out + 1];
        for (int i = 0; i < CellTopology.NODES; i++) {
            int d = 0;
            for (int k = 0; k < 2; k++) d = Math.max(d, layer[genes.get(2 * i + k).input()] + 1);
            layer[CellTopology.INPUTS + i] = d;
        }
        int maxLayer = 0;
        for (int st = 0; st < out; st++) maxLayer = Math.max(maxLayer, layer[st]);
        layer[out] = maxLayer + 1;
        int layers = maxLayer + 2;

        // node positions: each column centred on y = 0
        double[] nx = new double[out + 1], ny = new double[out + 1];
        List<List<Integer>> byLayer = new ArrayList<>();
        for (int l = 0; l < layers; l++) byLayer.add(new ArrayList<>());
        for (int st = 0; st <= out; st++) byLayer.get(layer[st]).add(st);
        for (int l = 0; l < layers; l++) {
            List<Integer> members = byLayer.get(l);
            for (int k = 0; k < members.size(); k++) {
                nx[members.get(k)] = l * COL;
                ny[members.get(k)] = (k - (members.size() - 1) / 2.0) * ROW;
            }
        }

        // routes, with waypoints in the free space of every column an edge crosses
        List<Route> routes = new ArrayList<>();
        for (int slot = 0; slot < genes.size(); slot++) {
            routes.add(new Route(genes.get(slot).input(), CellTopology.INPUTS + Genotype.nodeOfSlot(slot), genes.get(slot).op()));
        }
        for (int st : concat) routes.add(new Route(st, out, null));
        List<List<double[]>> occupied = new ArrayList<>(); // per column: [lo, hi] intervals
        for (int l = 0; l < layers; l++) {
            List<double[]> occ = new ArrayList<>();
            for (int st : byLayer.get(l)) occ.add(new double[] {ny[st] - BOX_H / 2.0 - CLEAR, ny[st] + BOX_H / 2.0 + CLEAR});
            occupied.add(occ);
        }
        List<Route> bySpan = new ArrayList<>(routes);
        bySpan.sort(Comparator.comparingInt(r -> layer[r.to] - layer[r.from]));
        for (Route r : bySpan) {
            int a = layer[r.from], b = layer[r.to];
            r.points.add(new double[] {nx[r.from], ny[r.from]});
            for (int l = a + 1; l < b; l++) {
                double ideal = ny[r.from] + (ny[r.to] - ny[r.from]) * (l - a) / (double) (b - a);
                double y = free(occupied.get(l), ideal);
                occupied.get(l).add(new double[] {y - CLEAR, y + CLEAR});
                r.points.add(new double[] {l * COL, y});
            }
            r.points.add(new double[] {nx[r.to], ny[r.to]});
        }

        // ports: spread the edges leaving / entering a box, ordered by where they come from / go to
        for (int st = 0; st <= out; st++) {
            final int state = st;
            List<Route> outs = new ArrayList<>(), ins = new ArrayList<>();
            for (Route r : routes) {
                if (r.from == state) outs.add(r);
                if (r.to == state) ins.add(r);
            }
            outs.sort(Comparator.comparingDouble((Route r) -> r.points.get(1)[1]).thenComparingDouble(r -> r.points.getLast()[1]));
            ins.sort(Comparator.comparingDouble((Route r) -> r.points.get(r.points.size() - 2)[1])
                    .thenComparingDouble(r -> r.points.getFirst()[1]));
            for (int i = 0; i < outs.size(); i++) outs.get(i).outPort = port(i, outs.size());
            for (int i = 0; i < ins.size(); i++) ins.get(i).inPort = port(i, ins.size());
        }
        for (Route r : routes) {
            double[] first = r.points.getFirst(), last = r.points.getLast();
            r.points.set(0, new double[] {first[0] + BOX_W / 2.0, first[1] + r.outPort});
            r.points.set(r.points.size() - 1, new double[] {last[0] - BOX_W / 2.0 - 1, last[1] + r.inPort});
        }

        // canvas bounds
        double minY = Double.POSITIVE_INFINITY, maxY = Double.NEGATIVE_INFINITY;
        for (int st = 0; st <= out; st++) {
            minY = Math.min(minY, ny[st] - BOX_H / 2.0);
            maxY = Math.max(maxY, ny[st] + BOX_H / 2.0);
        }
        for (Route r : routes) for (double[] pt : r.points) { minY = Math.min(minY, pt[1] - CLEAR); maxY = Math.max(maxY, pt[1] + CLEAR); }
        double dx = MARGIN + BOX_W / 2.0, dy = TITLE_H + MARGIN - minY;
        double width = 2 * MARGIN + BOX_W + (layers - 1) * COL, height = TITLE_H + 2 * MARGIN + (maxY - minY);

        StringBuilder b = new StringBuilder(8192);
        b.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        b.append(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" "
                        + "font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\">\n", width, height, width, height));
        b.append("  <title>").append(cell.key()).append(" cell</title>\n");
        b.append("  <defs>\n");
        for (Primitive p : Primitive.values()) arrowMarker(b, "arrow-" + p.shortName(), OpColours.hex(p));
        arrowMarker(b, "arrow-concat", CONCAT_COLOUR);
        b.append("  </defs>\n");
        b.append(String.format(Locale.ROOT, "  <rect x=\"0\" y=\"0\" width=\"%.0f\" height=\"%.0f\" fill=\"white\"/>\n",
                width, height));
        b.append(String.format(Locale.ROOT,
                "  <text x=\"%.1f\" y=\"26\" font-size=\"17\" font-weight=\"bold\" text-anchor=\"middle\" fill=\"#222\">%s cell</text>\n",
                width / 2, cell.key()));

        // edges
        List<double[]> labelPos = new ArrayList<>(); // x, y per op route, in route order
        b.append("  <g fill=\"none\">\n");
        for (Route r : routes) {
            StringBuilder d = new StringBuilder();
            double[] p0 = r.points.getFirst();
            d.append(String.format(Locale.ROOT, "M %.1f %.1f", p0[0] + dx, p0[1] + dy));
            for (int i = 1; i < r.points.size(); i++) {
                double[] a = r.points.get(i - 1), c = r.points.get(i);
                double h = (c[0] - a[0]) / 2;
                d.append(String.format(Locale.ROOT, " C %.1f %.1f, %.1f %.1f, %.1f %.1f", a[0] + h + dx, a[1] + dy,
                        c[0] - h + dx, c[1] + dy, c[0] + dx, c[1] + dy));
            }
            if (r.op == null) {
                b.append("    <path d=\"").append(d).append("\" stroke=\"").append(CONCAT_COLOUR)
                        .append("\" stroke-width=\"1.5\" marker-end=\"url(#arrow-concat)\"/>\n");
                continue;
            }
            b.append("    <path d=\"").append(d).append("\" stroke=\"").append(OpColours.hex(r.op)).append("\" stroke-width=\"2\"")
                    .append(r.op == Primitive.NONE ? " stroke-dasharray=\"6 4\"" : "")
                    .append(" marker-end=\"url(#arrow-").append(r.op.shortName()).append(")\"/>\n");
            double[] a = r.points.get(r.points.size() - 2), c = r.points.getLast();
            double w = labelWidth(r.op.dartsName());
            double lx = Math.max(a[0] + w / 2 + 4, c[0] - 14 - w / 2);
            double h = (c[0] - a[0]) / 2;
            labelPos.add(new double[] {lx, yAtX(new double[] {a[0], a[1], a[0] + h, a[1], c[0] - h, c[1], c[0], c[1]}, lx)});
        }
        b.append("  </g>\n");

        // nodes
        for (int st = 0; st <= out; st++) {
            String fill = st < CellTopology.INPUTS ? "#cdebc5" : st == out ? "#f3e9a6" : "#cfe3f5";
            String stroke = st < CellTopology.INPUTS ? "#5b8f52" : st == out ? "#a89a3c" : "#4f7ca8";
            b.append(String.format(Locale.ROOT,
                    "  <rect x=\"%.1f\" y=\"%.1f\" width=\"%d\" height=\"%d\" rx=\"7\" fill=\"%s\" stroke=\"%s\" stroke-width=\"2\"/>\n",
                    nx[st] - BOX_W / 2.0 + dx, ny[st] - BOX_H / 2.0 + dy, BOX_W, BOX_H, fill, stroke));
            b.append(String.format(Locale.ROOT,
                    "  <text x=\"%.1f\" y=\"%.1f\" font-size=\"16\" text-anchor=\"middle\" fill=\"#222\">%s</text>\n",
                    nx[st] + dx, ny[st] + dy + 5.5, nodeText(st)));
        }

        // labels: those in one column gap are moved apart so they never overlap
        List<Route> opRoutes = routes.stream().filter(r -> r.op != null).toList();
        for (int gap = 0; gap < layers; gap++) {
            List<Integer> idx = new ArrayList<>();
            for (int i = 0; i < opRoutes.size(); i++) if (layer[opRoutes.get(i).to] - 1 == gap) idx.add(i);
            idx.sort(Comparator.comparingDouble(i -> labelPos.get(i)[1]));
            double[] y = new double[idx.size()];
            for (int k = 0; k < y.length; k++) y[k] = labelPos.get(idx.get(k))[1];
            spread(y, LABEL_H + 2);
            for (int k = 0; k < y.length; k++) labelPos.get(idx.get(k))[1] = y[k];
        }
        for (int i = 0; i < opRoutes.size(); i++) {
            Primitive op = opRoutes.get(i).op;
            String text = op.dartsName(), colour = OpColours.hex(op);
            double w = labelWidth(text), lx = labelPos.get(i)[0] + dx, ly = labelPos.get(i)[1] + dy;
            b.append(String.format(Locale.ROOT,
                    "  <rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" rx=\"3\" fill=\"white\" fill-opacity=\"0.92\" "
                            + "stroke=\"%s\" stroke-width=\"0.8\"/>\n", lx - w / 2, ly - LABEL_H / 2, w, LABEL_H, colour));
            b.append(String.format(Locale.ROOT,
                    "  <text x=\"%.1f\" y=\"%.1f\" font-size=\"12\" text-anchor=\"middle\" fill=\"%s\">%s</text>\n",
                    lx, ly + 4.2, colour, escape(text)));
        }
        b.append("</svg>\n");
        return b.toString();
    }

    private static final String CONCAT_COLOUR = "#888888";

    private static double labelWidth(String text) { return text.length() * CHAR_W + 8; }

    /** Port offset of edge i of n on a box side. */
    private static double port(int i, int n) {
        if (n <= 1) return 0;
        double spacing = Math.min(9, (BOX_H - 10) / (double) (n - 1));
        return (i - (n - 1) / 2.0) * spacing;
    }

    /** The y nearest to {@code ideal} outside every occupied interval (with room for an edge). */
    private static double free(List<double[]> occupied, double ideal) {
        double best = ideal;
        for (int iter = 0; iter < 2 * occupied.size() + 2; iter++) {
            double[] hit = null;
            for (double[] o : occupied) if (best > o[0] - CLEAR && best < o[1] + CLEAR) { hit = o; break; }
            if (hit == null) return best;
            double up = hit[0] - CLEAR, down = hit[1] + CLEAR;
            // try the nearer side first, the other if the nearer is blocked
            double first = ideal - up <= down - ideal ? up : down, second = first == up ? down : up;
            if (isFree(occupied, first)) return first;
            if (isFree(occupied, second)) return second;
            best = first;
        }
        double lowest = Double.NEGATIVE_INFINITY;
        for (double[] o : occupied) lowest = Math.max(lowest, o[1]);
        return lowest + CLEAR;
    }

    private static boolean isFree(List<double[]> occupied, double y) {
        for (double[] o : occupied) if (y > o[0] - CLEAR && y < o[1] + CLEAR) return false;
        return true;
    }

    private static void arrowMarker(StringBuilder b, String id, String colour) {
        b.append("    <marker id=\"").append(id).append("\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" "
                + "markerHeight=\"7\" orient=\"auto\"><path d=\"M 0 0 L 10 5 L 0 10 z\" fill=\"").append(colour)
                .append("\"/></marker>\n");
    }

    private static String nodeText(int s) {
        if (s == CellTopology.STATES) return "c<tspan font-size=\"11\" dy=\"4\">k</tspan>";
        if (s < CellTopology.INPUTS) return "c<tspan font-size=\"11\" dy=\"4\">" + (s == 0 ? "k-2" : "k-1") + "</tspan>";
        return Integer.toString(s - CellTopology.INPUTS);
    }

    /** y of the curve where its x equals x (x(t) is monotone here), by bisection. */
    private static double yAtX(double[] c, double x) {
        double lo = 0, hi = 1;
        for (int i = 0; i < 40; i++) {
            double t = (lo + hi) / 2;
            if (bez(c[0], c[2], c[4], c[6], t) < x) lo = t; else hi = t;
        }
        return bez(c[1], c[3], c[5], c[7], (lo + hi) / 2);
    }

    private static double bez(double p0, double p1, double p2, double p3, double t) {
        double u = 1 - t;
        return u * u * u * p0 + 3 * u * u * t * p1 + 3 * u * t * t * p2 + t * t * t * p3;
    }

    /** Moves sorted positions apart to at least {@code min} spacing, keeping their mean. */
    private static void spread(double[] y, double min) {
        if (y.length < 2) return;
        double mean = 0;
        for (double v : y) mean += v;
        mean /= y.length;
        for (int iter = 0; iter < 50; iter++) {
            boolean moved = false;
            for (int i = 1; i < y.length; i++) {
                double d = y[i] - y[i - 1];
                if (d < min - 1e-9) {
                    double push = (min - d) / 2;
                    y[i - 1] -= push;
                    y[i] += push;
                    moved = true;
                }
            }
            if (!moved) break;
        }
        double mean2 = 0;
        for (double v : y) mean2 += v;
        mean2 /= y.length;
        for (int i = 0; i < y.length; i++) y[i] += mean - mean2;
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
