package org.proxynas.space;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * DARTS's text form of a genotype, i.e. Python's repr of the {@code Genotype} namedtuple:
 * <pre>Genotype(normal=[('sep_conv_3x3', 0), ('sep_conv_3x3', 1), ...], normal_concat=[2, 3, 4, 5],
 *          reduce=[...], reduce_concat=[2, 3, 4, 5])</pre>
 * {@link #format} writes exactly that (on one line). {@link #parse} also accepts: either quote style, any
 * whitespace and newlines, {@code #} comments, trailing commas, tuples or lists for genes and gene lists,
 * {@code range(2, 6)} / {@code range(6)} / {@code list(range(...))} for concat, keyword arguments in any order or
 * positional ones in namedtuple order, and an optional leading {@code name =} (e.g. {@code genotype =} or
 * {@code PVLL_NAS =}). Errors name the offending token and its character offset.
 */
public final class GenotypeText {
    private GenotypeText() {}

    /** Python's repr of the genotype. */
    public static String format(Genotype g) {
        StringBuilder sb = new StringBuilder(400);
        sb.append("Genotype(normal=");
        genes(sb, g.normal());
        sb.append(", normal_concat=");
        ints(sb, g.normalConcat());
        sb.append(", reduce=");
        genes(sb, g.reduce());
        sb.append(", reduce_concat=");
        ints(sb, g.reduceConcat());
        return sb.append(')').toString();
    }

    private static void genes(StringBuilder sb, List<Gene> genes) {
        sb.append('[');
        for (int i = 0; i < genes.size(); i++) {
            if (i > 0) sb.append(", ");
            sb.append("('").append(genes.get(i).op().dartsName()).append("', ").append(genes.get(i).input()).append(')');
        }
        sb.append(']');
    }

    private static void ints(StringBuilder sb, List<Integer> xs) {
        sb.append('[');
        for (int i = 0; i < xs.size(); i++) {
            if (i > 0) sb.append(", ");
            sb.append(xs.get(i));
        }
        sb.append(']');
    }

    /** Parses DARTS text; errors are reported against "genotype text". */
    public static Genotype parse(String text) { return parse(text, "genotype text"); }

    /** Parses DARTS text; {@code source} (e.g. a file path) prefixes every error message. */
    public static Genotype parse(String text, String source) {
        return new Parser(text, source).genotype();
    }

    // ---------------------------------------------------------------------------------------------------------

    private enum Kind { IDENT, INT, STRING, PUNCT, EOF }

    private record Token(Kind kind, String text, int offset) {
        boolean is(String punct) { return kind == Kind.PUNCT && text.equals(punct); }

        String describe() {
            return switch (kind) {
                case EOF -> "end of input";
                case STRING -> "string " + text;
                default -> "'" + text + "'";
            };
        }
    }

    private static final String[] FIELDS = {"normal", "normal_concat", "reduce", "reduce_concat"};

    private static final class Parser {
        private final String src;
        private final String source;
        private final List<Token> tokens = new ArrayList<>();
        private int pos;

        Parser(String src, String source) {
            this.src = src == null ? "" : src;
            this.source = source;
            tokenize();
        }

        GenotypeFormatException error(int offset, String message) {
            int line = 1, col = 1;
            for (int i = 0; i < offset && i < src.length(); i++) {
                if (src.charAt(i) == '\n') { line++; col = 1; } else { col++; }
            }
            return new GenotypeFormatException(source, offset,
                    "at offset " + offset + " (line " + line + ", column " + col + "): " + message, null);
        }

        private void tokenize() {
            int i = 0, n = src.length();
            while (i < n) {
                char c = src.charAt(i);
                if (Character.isWhitespace(c)) {
                    i++;
                } else if (c == '\\' && (src.startsWith("\n", i + 1) || src.startsWith("\r\n", i + 1))) {
                    i++; // a Python line continuation
                } else if (c == '#') {
                    while (i < n && src.charAt(i) != '\n') i++;
                } else if (Character.isLetter(c) || c == '_') {
                    int s = i;
                    while (i < n && (Character.isLetterOrDigit(src.charAt(i)) || src.charAt(i) == '_'
                            || src.charAt(i) == '.')) i++;
                    tokens.add(new Token(Kind.IDENT, src.substring(s, i), s));
                } else if (Character.isDigit(c) || (c == '-' && i + 1 < n && Character.isDigit(src.charAt(i + 1)))) {
                    int s = i++;
                    while (i < n && Character.isLetterOrDigit(src.charAt(i))) i++;
                    tokens.add(new Token(Kind.INT, src.substring(s, i), s));
                } else if (c == '\'' || c == '"') {
                    int s = i++;
                    while (i < n && src.charAt(i) != c && src.charAt(i) != '\n') i++;
                    if (i >= n || src.charAt(i) != c) throw error(s, "unterminated string starting with " + c);
                    i++;
                    tokens.add(new Token(Kind.STRING, src.substring(s, i), s));
                } else if ("()[],=".indexOf(c) >= 0) {
                    tokens.add(new Token(Kind.PUNCT, String.valueOf(c), i));
                    i++;
                } else {
                    throw error(i, "unexpected character '" + c + "'");
                }
            }
            tokens.add(new Token(Kind.EOF, "", n));
        }

        private Token peek() { return tokens.get(pos); }

        private Token peek(int ahead) { return tokens.get(Math.min(pos + ahead, tokens.size() - 1)); }

        private Token next() {
            Token t = tokens.get(pos);
            if (t.kind != Kind.EOF) pos++;
            return t;
        }

        private Token expect(String punct, String what) {
            Token t = next();
            if (!t.is(punct)) throw error(t.offset, "expected '" + punct + "' " + what + " but found " + t.describe());
            return t;
        }

        Genotype genotype() {
            Token first = peek();
            if (first.kind == Kind.IDENT && peek(1).is("=")) { // optional "genotype =" / "NAME ="
                next();
                next();
            }
            Token name = next();
            if (name.kind != Kind.IDENT || !(name.text.equals("Genotype") || name.text.endsWith(".Genotype"))) {
                throw error(name.offset, "expected 'Genotype(' but found " + name.describe());
            }
            Token open = expect("(", "after 'Genotype'");
            Map<CellType, List<Gene>> genes = new EnumMap<>(CellType.class);
            Map<CellType, List<Integer>> concat = new EnumMap<>(CellType.class);
            boolean[] seen = new boolean[FIELDS.length];
            boolean keywordSeen = false;
            int positional = 0;
            Token close;
            while (true) {
                if (peek().is(")")) { close = next(); break; }
                int field;
                Token at = peek();
                if (at.kind == Kind.IDENT && peek(1).is("=")) {
                    keywordSeen = true;
                    next();
                    next();
                    field = fieldIndex(at);
                } else {
                    if (keywordSeen) throw error(at.offset, "positional argument " + at.describe()
                            + " after keyword arguments");
                    if (positional >= FIELDS.length) throw error(at.offset, "too many arguments: "
                            + at.describe() + " (Genotype has " + FIELDS.length + " fields)");
                    field = positional++;
                }
                if (seen[field]) throw error(at.offset, "field '" + FIELDS[field] + "' given twice");
                seen[field] = true;
                CellType cell = field < 2 ? CellType.NORMAL : CellType.REDUCE;
                if (field % 2 == 0) genes.put(cell, geneList(cell));
                else concat.put(cell, concatList(cell));
                Token sep = next();
                if (sep.is(")")) { close = sep; break; }
                if (!sep.is(",")) throw error(sep.offset, "expected ',' or ')' after field '" + FIELDS[field]
                        + "' but found " + sep.describe());
            }
            for (int f = 0; f < FIELDS.length; f++) {
                if (!seen[f]) throw error(close.offset, "missing field '" + FIELDS[f] + "' in Genotype(...) opened at offset "
                        + open.offset);
            }
            Token end = next();
            if (end.kind != Kind.EOF) throw error(end.offset, "unexpected " + end.describe() + " after the closing ')'");
            try {
                return new Genotype(genes.get(CellType.NORMAL), concat.get(CellType.NORMAL),
                        genes.get(CellType.REDUCE), concat.get(CellType.REDUCE));
            } catch (IllegalArgumentException e) { // all checks were done above; kept as a safety net
                throw error(open.offset, e.getMessage());
            }
        }

        private int fieldIndex(Token t) {
            for (int f = 0; f < FIELDS.length; f++) if (FIELDS[f].equals(t.text)) return f;
            throw error(t.offset, "unknown field '" + t.text + "'; expected one of normal, normal_concat, reduce, reduce_concat");
        }

        private String closerOf(Token open) { return open.is("(") ? ")" : "]"; }

        private Token openBracket(String what) {
            Token t = next();
            if (!t.is("[") && !t.is("(")) throw error(t.offset, "expected '[' to start " + what + " but found " + t.describe());
            return t;
        }

        private List<Gene> geneList(CellType cell) {
            Token open = openBracket("the " + cell + " gene list");
            String closer = closerOf(open);
            List<Gene> out = new ArrayList<>();
            while (true) {
                if (peek().is(closer)) { next(); break; }
                Token start = peek();
                if (out.size() == Genotype.GENES_PER_CELL) {
                    throw error(start.offset, cell + " cell: more than " + Genotype.GENES_PER_CELL
                            + " genes (2 per node); extra gene starts with " + start.describe());
                }
                out.add(gene(cell, out.size()));
                Token sep = next();
                if (sep.is(closer)) break;
                if (!sep.is(",")) throw error(sep.offset, "expected ',' or '" + closer + "' in the " + cell
                        + " gene list but found " + sep.describe());
            }
            if (out.size() != Genotype.GENES_PER_CELL) {
                throw error(open.offset, cell + " cell: expected " + Genotype.GENES_PER_CELL + " genes (2 per node), got "
                        + out.size());
            }
            return out;
        }

        private Gene gene(CellType cell, int slot) {
            Token open = openBracket("a gene ('op', input)");
            String closer = closerOf(open);
            Token opTok = next();
            if (opTok.kind != Kind.STRING) throw error(opTok.offset, "expected a quoted operation name but found "
                    + opTok.describe());
            String opName = opTok.text.substring(1, opTok.text.length() - 1);
            Primitive op;
            try {
                op = Primitive.fromName(opName);
            } catch (IllegalArgumentException e) {
                throw error(opTok.offset, e.getMessage());
            }
            expect(",", "after the operation name");
            Token inTok = next();
            int input = integer(inTok, "an input index");
            if (peek().is(",")) next();
            expect(closer, "to close the gene");
            int node = Genotype.nodeOfSlot(slot);
            if (input < 0 || input >= CellTopology.inputsOf(node)) {
                throw error(inTok.offset, cell + " cell, node " + node + " (gene " + slot + ", op " + opName
                        + "): input " + input + " out of range; node " + node + " can only read states 0.."
                        + (CellTopology.inputsOf(node) - 1));
            }
            return new Gene(op, input);
        }

        private int integer(Token t, String what) {
            if (t.kind != Kind.INT) throw error(t.offset, "expected " + what + " but found " + t.describe());
            try {
                return Integer.parseInt(t.text);
            } catch (NumberFormatException e) {
                throw error(t.offset, "expected " + what + " but found '" + t.text + "'");
            }
        }

        private List<Integer> concatList(CellType cell) {
            Token start = peek();
            List<Integer> out = new ArrayList<>();
            if (start.kind == Kind.IDENT && start.text.equals("list") && peek(1).is("(")) {
                next();
                next();
                out = concatList(cell);
                expect(")", "to close list(...)");
                return out;
            }
            if (start.kind == Kind.IDENT && start.text.equals("range")) {
                next();
                expect("(", "after 'range'");
                int a = integer(next(), "an integer in range(...)");
                int lo = 0, hi = a;
                if (peek().is(",")) {
                    next();
                    if (!peek().is(")")) { lo = a; hi = integer(next(), "an integer in range(...)"); }
                }
                if (peek().is(",")) next();
                expect(")", "to close range(...)");
                for (int s = lo; s < hi; s++) out.add(s);
            } else {
                Token open = openBracket(cell + "_concat (a list of states or range(2, 6))");
                String closer = closerOf(open);
                while (true) {
                    if (peek().is(closer)) { next(); break; }
                    out.add(integer(next(), "a state index in " + cell + "_concat"));
                    Token sep = next();
                    if (sep.is(closer)) break;
                    if (!sep.is(",")) throw error(sep.offset, "expected ',' or '" + closer + "' in " + cell
                            + "_concat but found " + sep.describe());
                }
            }
            List<Integer> seen = new ArrayList<>();
            for (int s : out) {
                if (s < 0 || s >= CellTopology.STATES) throw error(start.offset, cell + "_concat: state " + s
                        + " out of range [0, " + CellTopology.STATES + ")");
                if (seen.contains(s)) throw error(start.offset, cell + "_concat: state " + s + " repeated");
                seen.add(s);
            }
            if (out.isEmpty()) throw error(start.offset, cell + "_concat is empty");
            return out;
        }
    }
}
