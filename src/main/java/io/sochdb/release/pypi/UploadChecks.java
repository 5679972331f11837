package io.sochdb.release.pypi;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

import io.sochdb.release.failure.InvalidInputException;
import io.sochdb.release.failure.ReleaseFailedException;
import io.sochdb.release.packaging.Digests;
import io.sochdb.release.packaging.PlatformTags;
import io.sochdb.release.packaging.ProjectName;
import io.sochdb.release.packaging.Version;
import io.sochdb.release.run.Artifact;
import io.sochdb.release.run.ReleaseRun;

/**
 * The checks step: everything PyPI would refuse, found before anything goes out. PyPI cannot be undone (a file
 * name, once used, is gone for good), so a release that fails here has published nothing.
 */
public final class UploadChecks {

    private static final Pattern WHEEL_NAME = Pattern.compile(
            "(?<name>[^-]+)-(?<version>[^-]+)(-(?<build>\\d[^-]*))?-(?<python>[^-]+)-(?<abi>[^-]+)-(?<platform>[^-]+)\\.whl");
    private static final Pattern ENTRY_POINT = Pattern.compile("[\\w.-]+\\s*=\\s*[\\w.]+(:[\\w.]+)?(\\s*\\[[\\w,\\s-]*])?");

    /** Entries up to this size (sources, metadata) are inflated and hashed again; larger ones are binaries. */
    static final long REHASH_LIMIT = 1L << 20;
    private static final Pattern SHA256_FIELD = Pattern.compile("sha256=[A-Za-z0-9_-]{43}");

    private final long maxFileSize;

    public UploadChecks(long maxFileSize) {
        this.maxFileSize = maxFileSize;
    }

    public void check(ReleaseRun run) throws IOException {
        ProjectName name = run.plan().build().sdk().metadata().name();
        Version version = run.plan().build().version();
        List<String> problems = new ArrayList<>();
        int checked = 0;
        for (Artifact artifact : run.artifacts()) {
            List<String> found = switch (artifact.kind()) {
                case "wheel" -> wheel(artifact.path(), name, version);
                case "sdist" -> sdist(artifact.path(), name, version);
                default -> List.of();
            };
            if (!artifact.kind().equals("checksums")) {
                checked++;
                if (artifact.size() > maxFileSize) {
                    problems.add(artifact.name() + ": " + artifact.size() + " bytes, more than the upload limit of "
                            + maxFileSize + " (PYPI_MAX_FILE_SIZE; PyPI's default is 100 MiB)");
                }
            }
            found.forEach(p -> problems.add(artifact.name() + ": " + p));
        }
        if (!problems.isEmpty()) {
            throw new ReleaseFailedException("PyPI would refuse " + String.join("; ", problems));
        }
        run.detail(checked + " files pass PyPI's upload checks");
    }

    static List<String> wheel(Path file, ProjectName project, Version version) throws IOException {
        List<String> problems = new ArrayList<>();
        Matcher m = WHEEL_NAME.matcher(file.getFileName().toString());
        if (!m.matches()) {
            return List.of("not a wheel file name ({name}-{version}-{python}-{abi}-{platform}.whl)");
        }
        if (!m.group("name").equals(project.filenameForm())) {
            problems.add("name part " + m.group("name") + " should be " + project.filenameForm());
        }
        if (!m.group("version").equals(version.wheelFilenameForm())) {
            problems.add("version part " + m.group("version") + " should be " + version.wheelFilenameForm());
        }
        for (String platform : m.group("platform").split("\\.")) {
            if (!platform.equals("any")) {
                PlatformTags.problem(platform).ifPresent(problems::add);
            }
        }
        problems.addAll(ZipStructure.problems(file));
        if (!problems.isEmpty()) {
            return problems;
        }
        String distInfo = m.group("name") + "-" + m.group("version") + ".dist-info/";
        try (ZipFile zip = ZipFile.builder().setPath(file).get()) {
            String metadata = read(zip, distInfo + "METADATA", problems);
            if (metadata != null) {
                checkNameAndVersion("METADATA", headers(metadata), project, version, problems);
            }
            String wheel = read(zip, distInfo + "WHEEL", problems);
            String tag = m.group("python") + "-" + m.group("abi") + "-" + m.group("platform");
            if (wheel != null && !wheel.lines().anyMatch(l -> l.equals("Tag: " + tag))) {
                problems.add("WHEEL does not declare Tag: " + tag + ", which its file name says");
            }
            String entryPoints = zip.getEntry(distInfo + "entry_points.txt") == null ? null
                    : read(zip, distInfo + "entry_points.txt", problems);
            if (entryPoints != null) {
                entryPoints.lines().map(String::strip)
                        .filter(l -> !l.isEmpty() && !l.startsWith("[") && !l.startsWith("#") && !l.startsWith(";"))
                        .filter(l -> !ENTRY_POINT.matcher(l).matches())
                        .forEach(l -> problems.add("entry_points.txt has an invalid line: " + l));
            }
            String record = read(zip, distInfo + "RECORD", problems);
            if (record != null) {
                checkRecord(zip, distInfo + "RECORD", record, problems);
            }
        }
        return problems;
    }

    private static void checkRecord(ZipFile zip, String recordName, String record, List<String> problems) throws IOException {
        Map<String, String[]> listed = new HashMap<>();
        for (String line : record.lines().filter(l -> !l.isBlank()).toList()) {
            String[] fields = RecordLines.split(line);
            listed.put(fields[0], fields);
        }
        for (ZipArchiveEntry entry : Collections.list(zip.getEntries())) {
            String name = entry.getName();
            String[] fields = listed.remove(name);
            if (name.equals(recordName) || entry.isDirectory()) {
                continue;
            }
            if (fields == null || fields.length < 3) {
                problems.add("RECORD does not list " + name);
                continue;
            }
            if (entry.getSize() > REHASH_LIMIT) {
                // A binary: its hash was taken by the wheel writer from the very bytes it compressed (or, for a
                // copied entry, inflated and checked against upstream's CRC). Inflating it again here doubled the
                // inflate and sha256 work of a release; its size and hash form are still checked, from the
                // central directory, whose agreement with the local headers ZipStructure has checked.
                if (!SHA256_FIELD.matcher(fields[1]).matches() || !String.valueOf(entry.getSize()).equals(fields[2])) {
                    problems.add("RECORD's hash or size of " + name + " does not match the file");
                }
                continue;
            }
            MessageDigest sha256 = Digests.sha256();
            long size = 0;
            try (InputStream in = zip.getInputStream(entry)) {
                byte[] buffer = new byte[1 << 16];
                int n;
                while ((n = in.read(buffer)) > 0) {
                    sha256.update(buffer, 0, n);
                    size += n;
                }
            }
            String hash = "sha256=" + Base64.getUrlEncoder().withoutPadding().encodeToString(sha256.digest());
            if (!hash.equals(fields[1]) || !String.valueOf(size).equals(fields[2])) {
                problems.add("RECORD's hash or size of " + name + " does not match the file");
            }
        }
        listed.keySet().stream().filter(n -> !n.equals(recordName))
                .forEach(n -> problems.add("RECORD lists " + n + ", which the wheel does not hold"));
    }

    static List<String> sdist(Path file, ProjectName project, Version version) throws IOException {
        List<String> problems = new ArrayList<>();
        String top = project.filenameForm() + "-" + version.wheelFilenameForm();
        if (!file.getFileName().toString().equals(top + ".tar.gz")) {
            return List.of("an sdist must be named " + top + ".tar.gz");
        }
        String pkgInfo = null;
        try (InputStream in = Files.newInputStream(file);
             TarArchiveInputStream tar = new TarArchiveInputStream(GzipCompressorInputStream.builder().setInputStream(in).get())) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                if (!entry.getName().startsWith(top + "/") && !entry.getName().equals(top)) {
                    problems.add(entry.getName() + " is outside the single top folder " + top + "/");
                }
                if (entry.getName().equals(top + "/PKG-INFO")) {
                    pkgInfo = new String(tar.readAllBytes(), StandardCharsets.UTF_8);
                }
            }
        }
        if (pkgInfo == null) {
            problems.add("no PKG-INFO in " + top + "/");
        } else {
            checkNameAndVersion("PKG-INFO", headers(pkgInfo), project, version, problems);
        }
        return problems;
    }

    private static void checkNameAndVersion(String file, Map<String, String> headers, ProjectName project, Version version,
            List<String> problems) {
        String name = headers.get("Name");
        if (name == null || !normalized(name).equals(project.normalized())) {
            problems.add(file + " names " + name + ", not " + project);
        }
        if (!version.canonical().equals(headers.get("Version"))) {
            problems.add(file + " says version " + headers.get("Version") + ", not " + version);
        }
    }

    private static String normalized(String name) {
        try {
            return new ProjectName(name).normalized();
        } catch (InvalidInputException e) {
            return "";
        }
    }

    private static String read(ZipFile zip, String name, List<String> problems) throws IOException {
        ZipArchiveEntry entry = zip.getEntry(name);
        if (entry == null) {
            problems.add("no " + name);
            return null;
        }
        try (InputStream in = zip.getInputStream(entry)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The header block of core metadata, up to the first blank line. */
    static Map<String, String> headers(String metadata) {
        Map<String, String> headers = new HashMap<>();
        if (metadata == null) {
            return headers;
        }
        for (String line : metadata.split("\n", -1)) {
            if (line.isEmpty()) {
                break;
            }
            int colon = line.indexOf(": ");
            if (colon > 0 && !Character.isWhitespace(line.charAt(0))) {
                headers.putIfAbsent(line.substring(0, colon), line.substring(colon + 2));
            }
        }
        return headers;
    }
}
