package io.sochdb.release.packaging;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.sochdb.release.failure.InvalidInputException;

/**
 * A PEP 440 version in its canonical normalised form, as Python's {@code packaging.version.Version} prints it.
 * The only way to build one from user input is {@link #parse(String)}; the constructor rejects anything that is
 * not already canonical, so a {@code Version} always holds exactly what pip and PyPI would show.
 */
public record Version(String canonical) {

    /** Longer input is rejected before the regex runs; real versions are a few dozen characters at most. */
    public static final int MAX_LENGTH = 128;

    private static final String EXPECTED = "not a PEP 440 version (examples: 0.3.2, 1.0.0rc1, 1.0.0.post1)";

    // PEP 440 Appendix B, verbatim apart from Java group syntax. [0-9] and [a-z] keep it ASCII-only.
    private static final Pattern PEP440 = Pattern.compile("""
            v?
            (?:
                (?:(?<epoch>[0-9]+)!)?
                (?<release>[0-9]+(?:\\.[0-9]+)*)
                (?<pre>
                    [-_.]?
                    (?<prel>alpha|a|beta|b|preview|pre|c|rc)
                    [-_.]?
                    (?<pren>[0-9]+)?
                )?
                (?<post>
                    (?:-(?<postn1>[0-9]+))
                    |
                    (?:
                        [-_.]?
                        (?<postl>post|rev|r)
                        [-_.]?
                        (?<postn2>[0-9]+)?
                    )
                )?
                (?<dev>
                    [-_.]?
                    (?<devl>dev)
                    [-_.]?
                    (?<devn>[0-9]+)?
                )?
            )
            (?:\\+(?<local>[a-z0-9]+(?:[-_.][a-z0-9]+)*))?
            """, Pattern.COMMENTS | Pattern.CASE_INSENSITIVE);

    public Version {
        if (canonical == null || !canonical.equals(normalise(canonical))) {
            throw invalid(canonical, "not a canonical PEP 440 version; use Version.parse");
        }
    }

    /** Parses any valid PEP 440 spelling (surrounding whitespace and a leading v allowed) into canonical form. */
    public static Version parse(String raw) {
        String canonical = normalise(raw);
        if (canonical == null) {
            throw invalid(raw, raw != null && raw.length() > MAX_LENGTH
                    ? "longer than " + MAX_LENGTH + " characters" : EXPECTED);
        }
        return new Version(canonical);
    }

    /** True for pre-releases and dev releases, matching {@code packaging}'s {@code is_prerelease}. */
    public boolean isPrerelease() {
        Matcher m = match(canonical);
        return m.group("pre") != null || m.group("dev") != null;
    }

    /** The form used in wheel and sdist file names (PEP 427/491), where {@code -} separates name fields. */
    public String wheelFilenameForm() {
        return canonical.replace('-', '_');
    }

    @Override
    public String toString() {
        return canonical;
    }

    /** Returns the canonical form of {@code raw}, or null when it is not a valid PEP 440 version. */
    private static String normalise(String raw) {
        if (raw == null || raw.length() > MAX_LENGTH) {
            return null;
        }
        Matcher m = match(raw.strip());
        if (m == null) {
            return null;
        }
        StringBuilder out = new StringBuilder();
        String epoch = m.group("epoch");
        if (epoch != null && !number(epoch).equals("0")) {
            out.append(number(epoch)).append('!');
        }
        String[] release = m.group("release").split("\\.");
        for (int i = 0; i < release.length; i++) {
            out.append(i == 0 ? "" : ".").append(number(release[i]));
        }
        if (m.group("pre") != null) {
            out.append(preLabel(m.group("prel").toLowerCase(Locale.ROOT))).append(number(m.group("pren")));
        }
        if (m.group("post") != null) {
            String n = m.group("postn1") != null ? m.group("postn1") : m.group("postn2");
            out.append(".post").append(number(n));
        }
        if (m.group("dev") != null) {
            out.append(".dev").append(number(m.group("devn")));
        }
        String local = m.group("local");
        if (local != null) {
            String[] parts = local.toLowerCase(Locale.ROOT).split("[-_.]");
            out.append('+');
            for (int i = 0; i < parts.length; i++) {
                String p = parts[i];
                out.append(i == 0 ? "" : ".").append(p.chars().allMatch(Character::isDigit) ? number(p) : p);
            }
        }
        return out.toString();
    }

    private static Matcher match(String s) {
        Matcher m = PEP440.matcher(s);
        return m.matches() ? m : null;
    }

    private static String preLabel(String label) {
        return switch (label) {
            case "alpha" -> "a";
            case "beta" -> "b";
            case "c", "pre", "preview" -> "rc";
            default -> label;
        };
    }

    /** Strips leading zeros on the digit string itself, so arbitrarily long numbers cannot overflow. */
    private static String number(String digits) {
        if (digits == null) {
            return "0"; // implicit number, e.g. 1.0a -> 1.0a0, 1.0.post -> 1.0.post0
        }
        String stripped = digits.replaceFirst("^0+", "");
        return stripped.isEmpty() ? "0" : stripped;
    }

    private static InvalidInputException invalid(String raw, String reason) {
        return new InvalidInputException("invalid version " + quote(raw) + ": " + reason);
    }

    /** Quotes the value for a one-line message: control characters escaped, very long values shortened. */
    private static String quote(String raw) {
        if (raw == null) {
            return "null";
        }
        String shown = raw.length() > MAX_LENGTH ? raw.substring(0, 40) + "..." : raw;
        StringBuilder sb = new StringBuilder("\"");
        for (char c : shown.toCharArray()) {
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (Character.isISOControl(c) || Character.getType(c) == Character.LINE_SEPARATOR
                    || Character.getType(c) == Character.PARAGRAPH_SEPARATOR) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }
}
