package io.sochdb.release.compliance;

import java.util.Arrays;
import java.util.Comparator;
import java.util.regex.Pattern;

/** Versions such as {@code 2.2.5} or {@code 3.4.30}, compared part by part; missing parts count as zero. */
record DottedVersion(int[] parts) implements Comparable<DottedVersion> {

    private static final Pattern NUMERIC = Pattern.compile("\\d{1,6}(\\.\\d{1,6}){0,5}");
    static final Comparator<DottedVersion> ORDER = Comparator.naturalOrder();

    static boolean isNumeric(String text) {
        return NUMERIC.matcher(text).matches();
    }

    static DottedVersion parse(String text) {
        if (!isNumeric(text)) {
            throw new IllegalArgumentException("not a dotted version: " + text);
        }
        return new DottedVersion(Arrays.stream(text.split("\\.")).mapToInt(Integer::parseInt).toArray());
    }

    static DottedVersion of(int... parts) {
        return new DottedVersion(parts.clone());
    }

    int part(int i) {
        return i < parts.length ? parts[i] : 0;
    }

    @Override
    public int compareTo(DottedVersion other) {
        for (int i = 0; i < Math.max(parts.length, other.parts.length); i++) {
            int c = Integer.compare(part(i), other.part(i));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DottedVersion v && compareTo(v) == 0;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(new int[] {part(0), part(1), part(2), part(3)});
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        for (int p : parts) {
            out.append(out.length() == 0 ? "" : ".").append(p);
        }
        return out.toString();
    }
}
