package dev.grantflow.grantctl.domain;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations ({@code 500ms}, {@code 45s}, {@code 15m}, {@code 12h}, {@code 30d}) and expiry instants (a duration from now, or RFC 3339). */
public final class DurationSyntax {

    private static final Pattern SHORT = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)");

    private DurationSyntax() {
    }

    /** Parses {@code 500ms}, {@code 45s}, {@code 15m}, {@code 12h}, {@code 30d} or an ISO-8601 duration ({@code PT1H}). */
    public static Duration parse(String option, String text) {
        if (text == null || text.isBlank()) {
            throw GrantctlFailure.usage(option + " needs a duration such as 30s, 15m, 12h or 30d");
        }
        Matcher m = SHORT.matcher(text.trim());
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        }
        try {
            return Duration.parse(text.trim());
        } catch (DateTimeParseException e) {
            throw GrantctlFailure.usage(option + " '" + text + "' is not a duration: use e.g. 30s, 15m, 12h or 30d");
        }
    }

    /** {@code --expires}: a duration after {@code issuedAt} (e.g. {@code 30d}) or an RFC 3339 instant. */
    public static Instant expiry(String text, Instant issuedAt) {
        String t = text == null ? "" : text.trim();
        if (!t.isEmpty() && Character.isDigit(t.charAt(0)) && t.length() > 4 && t.charAt(4) == '-') {
            try {
                return OffsetDateTime.parse(t).toInstant();
            } catch (DateTimeParseException e) {
                throw GrantctlFailure.usage("--expires '" + text
                        + "' is not an RFC 3339 time such as 2027-01-31T18:00:00Z, nor a duration such as 30d");
            }
        }
        try {
            return issuedAt.plus(parse("--expires", t));
        } catch (GrantctlFailure e) {
            throw GrantctlFailure.usage("--expires '" + text
                    + "' is neither a duration such as 30d or 12h nor an RFC 3339 time such as 2027-01-31T18:00:00Z");
        }
    }

    /** A short age, as kubectl shows it: {@code 45s}, {@code 12m}, {@code 5h}, {@code 3d}. */
    public static String age(Duration age) {
        long s = Math.max(0, age.getSeconds());
        if (s < 120) {
            return s + "s";
        }
        if (s < 120 * 60) {
            return (s / 60) + "m";
        }
        if (s < 48 * 3600) {
            return (s / 3600) + "h";
        }
        return (s / 86400) + "d";
    }
}
