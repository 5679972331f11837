package io.sochdb.release.fakes;

import io.sochdb.release.fakes.FakePyPIState.DistFile;
import io.sochdb.release.fakes.FakePyPIState.Spooled;
import io.sochdb.release.fakes.FakePyPIState.StoredFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The upload endpoint, after Warehouse's {@code forklift/legacy.py}: the body is parsed first (the file spooled to
 * disk and hashed), then the checks run in Warehouse's order. Messages are Warehouse's where known; the ones marked
 * approximate in {@link FakePyPI} are close paraphrases.
 */
final class PyPIForklift {

    record Verdict(int status, String message) {
        static final Verdict OK = new Verdict(200, null);
    }

    private static final int FIELD_LIMIT = 4 * 1024 * 1024;
    private static final Set<String> METADATA_VERSIONS = Set.of("1.0", "1.1", "1.2", "2.0", "2.1", "2.2", "2.3",
        "2.4");
    private static final List<String> REQUIRED = List.of("name", "version", "filetype", "pyversion",
        "metadata_version", "sha256_digest");
    private static final String REUSE_HELP = " See https://pypi.org/help/#file-name-reuse for more information.";

    private final FakePyPIState state;
    private final Consumer<String> violations;

    PyPIForklift(FakePyPIState state, Consumer<String> violations) {
        this.state = state;
        this.violations = violations;
    }

    /** Reads the whole request and decides; the caller records the upload and sends the verdict. */
    PyPIUpload receive(Call call) {
        String[] login = basic(call.header("Authorization"));
        List<Map.Entry<String, String>> fields = new ArrayList<>();
        Spooled content = null;
        String filename = null;
        String contentType = null;
        Verdict verdict = null;
        String boundary = PyPIMultipart.boundary(call.header("Content-Type"));
        try {
            if (boundary == null) {
                verdict = new Verdict(400, "Invalid request: the body must be multipart/form-data.");
            } else {
                PyPIMultipart body = new PyPIMultipart(call.body(), boundary);
                for (PyPIMultipart.Part part; (part = body.next()) != null; ) {
                    if (part.name.equals("content") && part.filename != null) {
                        if (content != null) {
                            violations.accept("upload with a second 'content' part: " + part.filename);
                            continue;
                        }
                        content = state.spool(part.body());
                        filename = part.filename;
                        contentType = part.contentType;
                    } else {
                        fields.add(Map.entry(part.name, text(part, part.bytes(FIELD_LIMIT))));
                    }
                }
            }
        } catch (IOException e) {
            verdict = new Verdict(400, "Invalid multipart/form-data body: " + e.getMessage());
        }
        PyPIUpload seen = new PyPIUpload(filename, fields, contentType, content == null ? 0 : content.size(),
            content == null ? null : content.sha256(), content == null ? null : content.md5(),
            content == null ? null : content.blake2b256(), login == null ? null : login[0],
            call.header("Authorization") != null, 0, null);
        if (verdict == null) {
            String denied = state.authenticate(login == null ? null : login[0], login == null ? null : login[1]);
            verdict = denied != null ? new Verdict(403, denied) : decide(seen, content);
        }
        if (content != null) {
            // Gone already when the file was stored (moved); still here when refused or an identical re-upload.
            FakePyPIState.deleteFile(content.path());
        }
        return new PyPIUpload(seen.filename(), fields, contentType, seen.size(), seen.sha256(), seen.md5(),
            seen.blake2b256(), seen.authUser(), seen.authorizationPresent(), verdict.status(), verdict.message());
    }

    private Verdict decide(PyPIUpload u, Spooled content) {
        if (!"file_upload".equals(u.field(":action"))) {
            return new Verdict(400, "Invalid value for ':action': only 'file_upload' is supported.");
        }
        if (u.field("protocol_version") == null) {
            return new Verdict(400, "Missing required field 'protocol_version'.");
        }
        if (!u.field("protocol_version").equals("1")) {
            return new Verdict(400, "Unknown protocol version.");
        }
        for (String name : REQUIRED) {
            String value = u.field(name);
            if (value == null || value.isBlank()) {
                return new Verdict(400, "Missing required field '" + name + "'.");
            }
        }
        String name = u.field("name");
        String version = u.field("version");
        String filetype = u.field("filetype");
        if (!name.matches("(?i)^([A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9])$")) {
            return new Verdict(400, "'" + name + "' is an invalid value for Name. Error: Start and end with a letter"
                + " or numeral containing only ASCII numeric and '.', '_' and '-'. See"
                + " https://packaging.python.org/specifications/core-metadata for more information.");
        }
        if (!METADATA_VERSIONS.contains(u.field("metadata_version"))) {
            return new Verdict(400, "'" + u.field("metadata_version") + "' is an invalid value for Metadata-Version."
                + " Error: Use a known metadata version.");
        }
        if (!filetype.equals("bdist_wheel") && !filetype.equals("sdist")) {
            return new Verdict(400, "Invalid value for filetype. Error: Use a known file type.");
        }
        if (content == null) {
            return new Verdict(400, "Upload payload does not have a file.");
        }
        String filename = u.filename();
        if (filename.contains("/") || filename.contains("\\")) {
            return new Verdict(400, "Cannot upload a file with '/' or '\\' in the name.");
        }
        String lower = filename.toLowerCase(Locale.ROOT);
        if (!lower.endsWith(".whl") && !lower.endsWith(".tar.gz") && !lower.endsWith(".zip")) {
            return new Verdict(400, "Invalid file extension: Use .tar.gz, .whl or .zip extension. See"
                + " https://www.python.org/dev/peps/pep-0527 for more information.");
        }
        DistFile dist = DistFile.parse(filename);
        if (dist == null || !dist.packagetype().equals(filetype)) {
            return new Verdict(400, "Invalid distribution file name '" + filename + "' for filetype '" + filetype
                + "'.");
        }
        if (!FakePyPIState.normalize(dist.dist()).equals(FakePyPIState.normalize(name))) {
            return new Verdict(400, "Start filename for '" + name + "' with '"
                + FakePyPIState.normalize(name).replace('-', '_') + "'.");
        }
        if (!dist.version().equalsIgnoreCase(version)) {
            return new Verdict(400, "Version in filename should be '" + version + "' not '" + dist.version() + "'.");
        }
        if (filetype.equals("sdist") && !u.field("pyversion").equals("source")) {
            return new Verdict(400, "Use 'source' as Python version for an sdist.");
        }
        if (filetype.equals("bdist_wheel") && u.field("pyversion").equals("source")) {
            return new Verdict(400, "Use a valid Python version for a wheel, not 'source'.");
        }
        if (!state.privateIndex) {
            for (String platform : dist.platforms()) {
                if (platform.startsWith("linux_")) {
                    return new Verdict(400, "Binary wheel '" + filename + "' has an unsupported platform tag '"
                        + platform + "'.");
                }
            }
        }
        if (content.size() > state.maxFileSize) {
            return new Verdict(400, "File too large. Limit for project '" + name + "' is "
                + state.maxFileSize / 1_000_000 + " MB. See https://docs.pypi.org/project-management/storage-limits"
                + "#requesting-a-file-size-limit-increase for more information.");
        }
        if (!matches(u.field("sha256_digest"), content.sha256()) || !matches(u.field("md5_digest"), content.md5())
            || !matches(u.field("blake2_256_digest"), content.blake2b256())) {
            return new Verdict(400, "The digest supplied does not match a digest calculated from the uploaded file.");
        }
        synchronized (state) {
            StoredFile existing = state.file(filename);
            if (state.privateIndex && existing != null) {
                return new Verdict(409, "File already exists: " + filename);
            }
            if (existing != null && existing.content.sha256().equals(content.sha256())
                && existing.content.blake2b256().equals(content.blake2b256())) {
                return Verdict.OK;
            }
            if (existing != null) {
                return new Verdict(400, "File already exists ('" + filename + "', with blake2_256 hash '"
                    + content.blake2b256() + "')." + REUSE_HELP);
            }
            if (!state.privateIndex && state.usedFilenames.contains(filename)) {
                return new Verdict(400, "This filename has already been used, use a different version." + REUSE_HELP);
            }
            if (!state.privateIndex && state.closedReleases.contains(FakePyPIState.releaseKey(name, version))) {
                return new Verdict(400, FakePyPI.TOO_LATE);
            }
            StoredFile earlier = state.files.values().stream()
                .filter(f -> f.project.equals(FakePyPIState.normalize(name))).findFirst().orElse(null);
            state.store(filename, dist, earlier == null ? name : earlier.displayName, u.field("requires_python"),
                content);
        }
        return Verdict.OK;
    }

    /** A digest field that was not sent passes; one that was must match, in any letter case. */
    private static boolean matches(String sent, String computed) {
        return sent == null || sent.trim().equalsIgnoreCase(computed);
    }

    /** UTF-8, as Warehouse decodes every field whatever charset the part declares; a mismatch is a violation. */
    private String text(PyPIMultipart.Part part, byte[] raw) {
        String declared = part.contentType == null ? null
            : PyPIMultipart.parameters(part.contentType).get("charset");
        boolean ascii = true;
        for (byte b : raw) {
            ascii &= b >= 0;
        }
        if (!ascii && declared != null && !declared.equalsIgnoreCase("utf-8") && !declared.equalsIgnoreCase("utf8")) {
            violations.accept("form field '" + part.name + "' declares charset " + declared
                + " but holds non-ASCII bytes; PyPI decodes every field as UTF-8");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(raw)).toString();
        } catch (CharacterCodingException e) {
            violations.accept("form field '" + part.name + "' is not valid UTF-8");
            return new String(raw, StandardCharsets.UTF_8);
        }
    }

    /** {user, password} from {@code Basic base64(user:password)}, or null. */
    static String[] basic(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()),
                StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon < 0 ? null : new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)};
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
