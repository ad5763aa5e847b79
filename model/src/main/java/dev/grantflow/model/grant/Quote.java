package dev.grantflow.model.grant;

/**
 * Quotes a name, key or path from untrusted input for a violation message: single-quoted, at most
 * {@value #MAX} characters, control characters replaced. Never used for secret data, which messages do not show at all.
 */
final class Quote {

    static final int MAX = 64;

    private Quote() {
    }

    static String of(String value) {
        if (value == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder("'");
        int count = value.codePointCount(0, value.length());
        value.codePoints().limit(MAX).forEach(cp -> sb.appendCodePoint(Character.isISOControl(cp) ? '?' : cp));
        if (count > MAX) {
            sb.append("...");
        }
        return sb.append('\'').toString();
    }
}
