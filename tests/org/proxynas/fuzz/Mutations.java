package org.proxynas.fuzz;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Damaged variants of a valid file, drawn from a seeded Random: truncation at a random offset, bit flips, huge and
 * zero counts in the header, a wrong magic, random bytes, appended garbage, wrong JSON types; and, for formats
 * with a checksum, the same damage with the checksum recomputed so the parser behind it is reached.
 */
public final class Mutations {
    /** One damaged variant and how it was made (for the test name). */
    public record Variant(String how, byte[] bytes) {}

    /** A format-aware damage of a valid file (e.g. a retyped or reshaped tensor of an ONNX model). */
    @FunctionalInterface
    public interface Structured {
        Variant damage(byte[] seed, Random r);
    }

    private static final int[] HUGE = {0x7FFFFFFF, 0xFFFFFFFF, 0x80000000, 0, 1 << 20, 65536};
    private static final Pattern JSON_VALUE = Pattern.compile("(\"[^\"\\\\]*\"|-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?|true|false|null|\\[|\\{)");
    private static final String[] WRONG_TYPES = {"\"x\"", "-1", "1e308", "[]", "{}", "null", "true", "\"\"", "0", "99999999999"};

    private Mutations() {}

    /** The variant number {@code index} of {@code seed}; {@code checksum} (nullable) re-signs a damaged file. */
    public static Variant of(byte[] seed, long index, boolean text, UnaryOperator<byte[]> checksum) {
        return of(seed, index, text, checksum, null);
    }

    /** As above; {@code structured} (nullable) makes every other variant a format-aware one. */
    public static Variant of(byte[] seed, long index, boolean text, UnaryOperator<byte[]> checksum, Structured structured) {
        Random r = new Random(index * 0x9E3779B97F4A7C15L + 17);
        if (structured != null && r.nextBoolean()) return structured.damage(seed, r);
        int kind = r.nextInt(text ? 9 : 8);
        Variant v = switch (kind) {
            case 0 -> truncate(seed, r);
            case 1, 2 -> flip(seed, r);
            case 3 -> count(seed, r);
            case 4 -> magic(seed, r);
            case 5 -> random(seed, r);
            case 6 -> append(seed, r);
            case 7 -> text ? splice(seed, r) : count(seed, r);
            default -> wrongType(seed, r);
        };
        if (checksum != null && !text && r.nextInt(3) == 0 && v.bytes.length >= 16) {
            return new Variant(v.how + "+crc", checksum.apply(v.bytes));
        }
        return v;
    }

    private static Variant truncate(byte[] s, Random r) {
        int at = s.length == 0 ? 0 : r.nextInt(s.length);
        return new Variant("truncate@" + at, Arrays.copyOf(s, at));
    }

    private static Variant flip(byte[] s, Random r) {
        byte[] b = s.clone();
        int n = 1 + r.nextInt(8);
        StringBuilder how = new StringBuilder("flip");
        for (int i = 0; i < n && b.length > 0; i++) {
            // Half the flips land in the first 128 bytes, where headers and counts live.
            int at = r.nextBoolean() ? r.nextInt(Math.min(128, b.length)) : r.nextInt(b.length);
            b[at] ^= (byte) (1 << r.nextInt(8));
            how.append('@').append(at);
        }
        return new Variant(how.toString(), b);
    }

    private static Variant count(byte[] s, Random r) {
        byte[] b = s.clone();
        if (b.length < 4) return truncate(s, r);
        int at = r.nextInt(Math.min(64, b.length - 3));
        int v = HUGE[r.nextInt(HUGE.length)];
        ByteBuffer.wrap(b).putInt(at, v);
        return new Variant("int@" + at + "=" + Integer.toHexString(v), b);
    }

    private static Variant magic(byte[] s, Random r) {
        byte[] b = s.clone();
        for (int i = 0; i < Math.min(4, b.length); i++) b[i] = (byte) r.nextInt(256);
        return new Variant("magic", b);
    }

    private static Variant random(byte[] s, Random r) {
        byte[] b = new byte[r.nextInt(Math.max(2, Math.min(s.length * 2, 1 << 16)))];
        r.nextBytes(b);
        return new Variant("random" + b.length, b);
    }

    private static Variant append(byte[] s, Random r) {
        byte[] extra = new byte[1 + r.nextInt(64)];
        r.nextBytes(extra);
        byte[] b = Arrays.copyOf(s, s.length + extra.length);
        System.arraycopy(extra, 0, b, s.length, extra.length);
        return new Variant("append" + extra.length, b);
    }

    /** Deletes or duplicates a random region of a text file. */
    private static Variant splice(byte[] s, Random r) {
        if (s.length < 2) return append(s, r);
        int a = r.nextInt(s.length), len = 1 + r.nextInt(Math.min(16, s.length - a));
        byte[] b;
        if (r.nextBoolean()) {
            b = new byte[s.length - len];
            System.arraycopy(s, 0, b, 0, a);
            System.arraycopy(s, a + len, b, a, s.length - a - len);
            return new Variant("delete@" + a + "+" + len, b);
        }
        b = new byte[s.length + len];
        System.arraycopy(s, 0, b, 0, a + len);
        System.arraycopy(s, a, b, a + len, s.length - a);
        return new Variant("dup@" + a + "+" + len, b);
    }

    /** Replaces one JSON value (string, number, literal, or the start of an array/object) with a value of another type. */
    private static Variant wrongType(byte[] s, Random r) {
        String t = new String(s, StandardCharsets.UTF_8);
        Matcher m = JSON_VALUE.matcher(t);
        List<int[]> spans = new java.util.ArrayList<>();
        while (m.find()) spans.add(new int[] {m.start(), m.end()});
        if (spans.isEmpty()) return flip(s, r);
        int[] sp = spans.get(r.nextInt(spans.size()));
        String w = WRONG_TYPES[r.nextInt(WRONG_TYPES.length)];
        String out = t.substring(0, sp[0]) + w + t.substring(sp[1]);
        return new Variant("type@" + sp[0] + "=" + w, out.getBytes(StandardCharsets.UTF_8));
    }

    /** Recomputes a trailing big-endian CRC-32 (as a long) over everything before it: checkpoints and proxy model files. */
    public static byte[] trailingCrc(byte[] b) {
        byte[] c = b.clone();
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(c, 0, c.length - 8);
        ByteBuffer.wrap(c).putLong(c.length - 8, crc.getValue());
        return c;
    }
}
