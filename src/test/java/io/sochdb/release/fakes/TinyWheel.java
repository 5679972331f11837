package io.sochdb.release.fakes;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The smallest wheel pip takes as real: one package, METADATA, WHEEL and a RECORD with every other file's hash.
 * For feeding {@link FakePyPI}; not a model of how the release tool builds wheels.
 */
public final class TinyWheel {

    private TinyWheel() {
    }

    /** {@code <dist>-<version>-py3-none-any.whl} for a distribution name as written in METADATA. */
    public static String filename(String name, String version) {
        return FakePyPIState.normalize(name).replace('-', '_') + "-" + version + "-py3-none-any.whl";
    }

    public static byte[] build(String name, String version, String requiresPython) {
        String dist = FakePyPIState.normalize(name).replace('-', '_');
        String distInfo = dist + "-" + version + ".dist-info/";
        Map<String, String> files = new LinkedHashMap<>();
        files.put(dist + "/__init__.py", "__version__ = \"" + version + "\"\n");
        files.put(distInfo + "METADATA", "Metadata-Version: 2.1\nName: " + name + "\nVersion: " + version + "\n"
            + (requiresPython == null ? "" : "Requires-Python: " + requiresPython + "\n") + "Summary: tiny\n\n");
        files.put(distInfo + "WHEEL", "Wheel-Version: 1.0\nGenerator: fake-pypi\nRoot-Is-Purelib: true\n"
            + "Tag: py3-none-any\n\n");
        StringBuilder record = new StringBuilder();
        files.forEach((path, text) -> {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            record.append(path).append(",sha256=").append(Base64.getUrlEncoder().withoutPadding()
                .encodeToString(FakePyPIState.digest("SHA-256").digest(bytes))).append(',').append(bytes.length)
                .append('\n');
        });
        files.put(distInfo + "RECORD", record.append(distInfo).append("RECORD,,\n").toString());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, String> e : files.entrySet()) {
                ZipEntry entry = new ZipEntry(e.getKey());
                entry.setTime(315532800000L + 86_400_000L);
                zip.putNextEntry(entry);
                zip.write(e.getValue().getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** sha256 in hex, as PyPI's {@code sha256_digest} field wants it. */
    public static String sha256(byte[] content) {
        MessageDigest md = FakePyPIState.digest("SHA-256");
        return java.util.HexFormat.of().formatHex(md.digest(content));
    }
}
