package io.sochdb.release.install.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Platform × Python: for each wheel and each supported Python version, whether pip picks exactly that wheel.
 *
 * @param pythons the columns, e.g. 3.9 … 3.13
 */
public record InstallMatrix(List<String> pythons, List<Row> rows) {

    /** One platform; {@code cells} maps each Python version to its result. */
    public record Row(String triple, String tag, String wheel, Map<String, Cell> cells) {
    }

    /**
     * @param state  {@code ok}, {@code not_found}, {@code incompatible}, {@code wrong_file}, {@code sha256_mismatch}
     *               or {@code error}
     * @param detail why, for every state but ok
     */
    public record Cell(String state, String detail) {

        public static final String OK = "ok";
        public static final String NOT_FOUND = "not_found";
        public static final String INCOMPATIBLE = "incompatible";
        public static final String WRONG_FILE = "wrong_file";
        public static final String MISMATCH = "sha256_mismatch";
        public static final String ERROR = "error";

        public static Cell ok() {
            return new Cell(OK, null);
        }

        /** Indexes and their CDNs show new files late, and a connection can fail: those are worth asking again. */
        public boolean retryable() {
            return state.equals(NOT_FOUND) || state.equals(ERROR);
        }
    }

    public int cellCount() {
        return rows.stream().mapToInt(r -> r.cells().size()).sum();
    }

    /** "tag × python: detail" for every cell that is not ok, in table order. */
    public List<String> failures() {
        List<String> failures = new ArrayList<>();
        for (Row row : rows) {
            for (String python : pythons) {
                Cell cell = row.cells().get(python);
                if (cell != null && !cell.state().equals(Cell.OK)) {
                    failures.add(row.tag() + " × Python " + python + ": " + cell.detail());
                }
            }
        }
        return failures;
    }
}
