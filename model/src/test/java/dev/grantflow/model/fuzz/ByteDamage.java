package dev.grantflow.model.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Damage done to a document's bytes after it was written: what a broken producer, a cut-off transfer or a hand-edited
 * record looks like. {@code at} is a fraction of the length, so the same damage applies to documents of any size.
 *
 * @param kind what is done
 * @param at   where, as a fraction of the length in [0, 1)
 * @param b    the byte written by {@link Kind#FLIP}
 */
public record ByteDamage(Kind kind, double at, byte b) {

    public enum Kind {
        /** Nothing: the document as written. */
        NONE,
        /** Cut off at {@code at}. */
        TRUNCATE,
        /** One byte replaced by {@code b}. */
        FLIP,
        /** Bytes that are not UTF-8 inserted at {@code at}. */
        INVALID_UTF8,
        /** A byte order mark before the document. */
        BOM,
        /** Content after the document: a second value. */
        TRAILING,
        /** A repeated member at the start of the top-level object ({@code "kind": ...} twice). */
        DUPLICATE_KEY,
        /** A repeated member inside {@code "metadata"}: two names for one grant. */
        DUPLICATE_NESTED_KEY,
        /** A NUL byte in the middle. */
        NUL,
        /** A member nested deeper than any parser limit: 1000 to 3000 levels of arrays. */
        DEEP
    }

    public static Arbitrary<ByteDamage> any() {
        Arbitrary<Kind> kinds = Arbitraries.frequency(
                Tuple.of(60, Kind.NONE), Tuple.of(3, Kind.TRUNCATE), Tuple.of(3, Kind.FLIP), Tuple.of(2, Kind.INVALID_UTF8),
                Tuple.of(1, Kind.BOM), Tuple.of(1, Kind.TRAILING), Tuple.of(3, Kind.DUPLICATE_KEY),
                Tuple.of(3, Kind.DUPLICATE_NESTED_KEY), Tuple.of(1, Kind.NUL), Tuple.of(1, Kind.DEEP));
        return Combinators.combine(kinds, Arbitraries.integers().between(0, 999), Arbitraries.bytes())
                .as((kind, permille, b) -> new ByteDamage(kind, permille / 1000.0, b));
    }

    public byte[] apply(byte[] doc) {
        int pos = (int) Math.floor(at * doc.length);
        return switch (kind) {
            case NONE -> doc;
            case TRUNCATE -> Arrays.copyOf(doc, pos);
            case FLIP -> {
                byte[] copy = doc.clone();
                if (copy.length > 0) {
                    copy[pos] = b;
                }
                yield copy;
            }
            case INVALID_UTF8 -> insert(doc, pos, new byte[] {(byte) 0xc3, (byte) 0x28, (byte) 0xff, (byte) 0xed, (byte) 0xa0, (byte) 0x80});
            case BOM -> concat(new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf}, doc);
            case TRAILING -> concat(doc, " {\"kind\":\"Grant\"}".getBytes(StandardCharsets.UTF_8));
            case DUPLICATE_KEY -> afterFirst(doc, "{", "\"kind\":\"GrantRevocation\",");
            case DUPLICATE_NESTED_KEY -> afterFirst(doc, "\"metadata\":{", "\"name\":\"other\",\"tenant\":\"bob\",");
            case NUL -> insert(doc, pos, new byte[] {0});
            case DEEP -> {
                int depth = 1000 + (int) (at * 2000);
                yield afterFirst(doc, "{", "\"deep\":" + "[".repeat(depth) + "]".repeat(depth) + ",");
            }
        };
    }

    private static byte[] afterFirst(byte[] doc, String marker, String insertion) {
        String text = new String(doc, StandardCharsets.UTF_8);
        int i = text.indexOf(marker);
        if (i < 0) {
            return doc;
        }
        int at = text.substring(0, i + marker.length()).getBytes(StandardCharsets.UTF_8).length;
        return insert(doc, at, insertion.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] insert(byte[] doc, int pos, byte[] bytes) {
        byte[] out = new byte[doc.length + bytes.length];
        System.arraycopy(doc, 0, out, 0, pos);
        System.arraycopy(bytes, 0, out, pos, bytes.length);
        System.arraycopy(doc, pos, out, pos + bytes.length, doc.length - pos);
        return out;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Override
    public String toString() {
        return kind == Kind.NONE ? "NONE" : kind + "@" + String.format("%.2f", at);
    }
}
