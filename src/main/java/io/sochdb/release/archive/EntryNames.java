package io.sochdb.release.archive;

/** Archive entry names are untrusted: Commons Compress, like Camel, has no zip-slip protection of its own. */
final class EntryNames {

    private EntryNames() {
    }

    /** Returns the name with {@code ./} prefixes and Windows separators normalised, or refuses it. */
    static String check(String archive, String raw) {
        String name = raw.replace('\\', '/');
        while (name.startsWith("./")) {
            name = name.substring(2);
        }
        if (name.startsWith("/") || name.matches("^[A-Za-z]:.*")) {
            throw new BadArchiveException(archive + ": entry " + raw + " has an absolute path; refused");
        }
        for (String segment : name.split("/")) {
            if (segment.equals("..")) {
                throw new BadArchiveException(archive + ": entry " + raw + " climbs out of the archive with ..; refused");
            }
        }
        if (name.indexOf('\0') >= 0 || name.chars().anyMatch(Character::isISOControl)) {
            throw new BadArchiveException(archive + ": entry name " + raw.replaceAll("\\p{Cntrl}", "?")
                    + " holds control characters; refused");
        }
        return name;
    }
}
