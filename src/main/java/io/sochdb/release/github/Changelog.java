package io.sochdb.release.github;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A CHANGELOG.md as people write it. A new release's section copies the newest existing release heading (its level,
 * brackets, "v" prefix, date and separator), so Keep a Changelog files stay Keep a Changelog and plain files stay
 * plain; it goes above that heading, which keeps "Unreleased" on top.
 */
final class Changelog {

    private static final Pattern HEADING = Pattern.compile("^(#{1,6})[ \\t]+(.*?)[ \\t#]*$");
    private static final Pattern VERSION = Pattern.compile("(?<![\\w.])(v?)(\\d+\\.\\d+(?:\\.\\d+)*(?:[-.+]?[A-Za-z0-9]+)*)");
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final Pattern LINK_REFERENCE = Pattern.compile("^\\[([^\\]]+)]:\\s*\\S+.*$");

    private Changelog() {
    }

    /** Whether a heading already names this version: 0.3.2 is in "## [0.3.2] - …" or "## v0.3.2", never in 0.3.20. */
    static boolean hasSection(String text, String version) {
        Pattern exact = Pattern.compile("(?<![\\w.])v?" + Pattern.quote(version) + "(?![\\w+-]|\\.\\w)");
        return text.lines().map(HEADING::matcher).anyMatch(m -> m.matches() && exact.matcher(m.group(2)).find());
    }

    /** A file for a repository that has none: Keep a Changelog's layout. */
    static String fresh(String version, LocalDate date, String body, String releaseUrl) {
        return "# Changelog\n\nAll notable changes to this project are documented in this file. The format follows\n"
                + "[Keep a Changelog](https://keepachangelog.com/en/1.1.0/).\n\n## [" + version + "] - " + date + "\n\n"
                + body.strip() + "\n\n[" + version + "]: " + releaseUrl + "\n";
    }

    static String withSection(String text, String version, LocalDate date, String body, String releaseUrl) {
        List<String> lines = new ArrayList<>(text.lines().toList());
        int at = firstRelease(lines);
        String heading = at >= 0 ? headingLike(lines.get(at), version, date) : defaultHeading(lines, version, date);
        int insertAt = at >= 0 ? at : endOfPreamble(lines);
        List<String> section = new ArrayList<>(List.of(heading, ""));
        section.addAll(body.strip().lines().toList());
        section.add("");
        lines.addAll(insertAt, section);
        if (heading.contains("[" + version + "]")) {
            addLinkReference(lines, version, releaseUrl);
        }
        String joined = String.join("\n", lines);
        return joined.endsWith("\n") ? joined : joined + "\n";
    }

    /** The newest release heading: the first heading below the title that names a version. */
    private static int firstRelease(List<String> lines) {
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = HEADING.matcher(lines.get(i));
            if (m.matches() && !(m.group(1).length() == 1 && i == firstHeading(lines))
                    && VERSION.matcher(m.group(2)).find()) {
                return i;
            }
        }
        return -1;
    }

    private static String headingLike(String template, String version, LocalDate date) {
        Matcher v = VERSION.matcher(template);
        v.find();
        String replaced = template.substring(0, v.start()) + v.group(1) + version + template.substring(v.end());
        return DATE.matcher(replaced).replaceFirst(date.toString());
    }

    private static String defaultHeading(List<String> lines, String version, LocalDate date) {
        boolean keepAChangelog = lines.stream().anyMatch(l -> l.toLowerCase(java.util.Locale.ROOT).contains("keepachangelog")
                || l.matches("^#{2,}\\s+\\[Unreleased].*"));
        return keepAChangelog ? "## [" + version + "] - " + date : "## " + version + " (" + date + ")";
    }

    /** Below the title, "Unreleased" and their text: before the next heading, or before the link references. */
    private static int endOfPreamble(List<String> lines) {
        int title = firstHeading(lines);
        for (int i = title + 1; i < lines.size(); i++) {
            Matcher m = HEADING.matcher(lines.get(i));
            if (m.matches() && !m.group(2).toLowerCase(java.util.Locale.ROOT).contains("unreleased")) {
                return i;
            }
        }
        int end = lines.size();
        while (end > 0 && (lines.get(end - 1).isBlank() || LINK_REFERENCE.matcher(lines.get(end - 1)).matches())) {
            end--;
        }
        if (end < lines.size()) {
            lines.add(end, "");
            return end + 1;
        }
        lines.add("");
        return lines.size();
    }

    private static int firstHeading(List<String> lines) {
        for (int i = 0; i < lines.size(); i++) {
            if (HEADING.matcher(lines.get(i)).matches()) {
                return i;
            }
        }
        return -1;
    }

    /** Keep a Changelog links each version heading at the bottom; the newest link goes first, like its heading. */
    private static void addLinkReference(List<String> lines, String version, String releaseUrl) {
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = LINK_REFERENCE.matcher(lines.get(i));
            if (m.matches() && VERSION.matcher(m.group(1)).find()) {
                lines.add(i, "[" + version + "]: " + releaseUrl);
                return;
            }
        }
        if (lines.stream().noneMatch(l -> LINK_REFERENCE.matcher(l).matches())) {
            if (!lines.isEmpty() && !lines.get(lines.size() - 1).isBlank()) {
                lines.add("");
            }
        }
        lines.add("[" + version + "]: " + releaseUrl);
    }
}
