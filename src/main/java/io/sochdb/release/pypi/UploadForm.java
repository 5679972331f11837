package io.sochdb.release.pypi;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.AbstractMap.SimpleEntry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

import io.sochdb.release.packaging.Digests;

/**
 * The form fields of one legacy-API upload, built the way twine builds them: from the core metadata inside the
 * file itself, in twine's order and with twine's names, so that PyPI sees exactly what it would see from twine.
 */
final class UploadForm {

    /** Core metadata field to form field, in the order twine sends them; list fields repeat. */
    private static final Map<String, String> FIELDS = new LinkedHashMap<>();

    static {
        FIELDS.put("Metadata-Version", "metadata_version");
        FIELDS.put("Summary", "summary");
        FIELDS.put("Home-page", "home_page");
        FIELDS.put("Author", "author");
        FIELDS.put("Author-email", "author_email");
        FIELDS.put("Maintainer", "maintainer");
        FIELDS.put("Maintainer-email", "maintainer_email");
        FIELDS.put("License", "license");
        FIELDS.put("", "description");
        FIELDS.put("Keywords", "keywords");
        FIELDS.put("Platform", "platform");
        FIELDS.put("Classifier", "classifiers");
        FIELDS.put("Download-URL", "download_url");
        FIELDS.put("Supported-Platform", "supported_platform");
        FIELDS.put("#sha256", "sha256_digest");
        FIELDS.put("Provides", "provides");
        FIELDS.put("Requires", "requires");
        FIELDS.put("Obsoletes", "obsoletes");
        FIELDS.put("Project-URL", "project_urls");
        FIELDS.put("Provides-Dist", "provides_dist");
        FIELDS.put("Obsoletes-Dist", "obsoletes_dist");
        FIELDS.put("Requires-Dist", "requires_dist");
        FIELDS.put("Requires-External", "requires_external");
        FIELDS.put("Requires-Python", "requires_python");
        FIELDS.put("Provides-Extra", "provides_extras");
        FIELDS.put("Description-Content-Type", "description_content_type");
        FIELDS.put("Dynamic", "dynamic");
        FIELDS.put("License-Expression", "license_expression");
        FIELDS.put("License-File", "license_file");
    }

    private UploadForm() {
    }

    /** @param kind {@code wheel} or {@code sdist} */
    static List<Map.Entry<String, String>> of(Path file, String kind, Digests.FileDigests digests) throws IOException {
        CoreMetadataText metadata = CoreMetadataText.parse(kind.equals("wheel") ? wheelMetadata(file) : sdistMetadata(file));
        List<Map.Entry<String, String>> form = new ArrayList<>();
        // twine sends the name as setuptools' safe_name and the version as written.
        form.add(new SimpleEntry<>("name", metadata.first("Name").replaceAll("[^A-Za-z0-9.]+", "-")));
        form.add(new SimpleEntry<>("version", metadata.first("Version")));
        form.add(new SimpleEntry<>("filetype", kind.equals("wheel") ? "bdist_wheel" : "sdist"));
        form.add(new SimpleEntry<>("pyversion", kind.equals("wheel") ? pythonTag(file) : "source"));
        for (Map.Entry<String, String> field : FIELDS.entrySet()) {
            switch (field.getKey()) {
                case "" -> add(form, field.getValue(), metadata.body());
                case "#sha256" -> add(form, field.getValue(), digests.sha256());
                default -> metadata.all(field.getKey()).forEach(v -> add(form, field.getValue(), v));
            }
        }
        add(form, "md5_digest", digests.md5());
        add(form, "blake2_256_digest", digests.blake2b256());
        form.add(new SimpleEntry<>(":action", "file_upload"));
        form.add(new SimpleEntry<>("protocol_version", "1"));
        return form;
    }

    private static void add(List<Map.Entry<String, String>> form, String name, String value) {
        if (value != null && !value.isEmpty()) {
            form.add(new SimpleEntry<>(name, value));
        }
    }

    /** The python tag of a wheel file name ({@code py3} for ours). */
    static String pythonTag(Path wheel) {
        String[] parts = wheel.getFileName().toString().replaceFirst("\\.whl$", "").split("-");
        return parts[parts.length - 3];
    }

    private static String wheelMetadata(Path wheel) throws IOException {
        try (ZipFile zip = ZipFile.builder().setPath(wheel).get()) {
            for (ZipArchiveEntry entry : java.util.Collections.list(zip.getEntries())) {
                String name = entry.getName();
                if (name.endsWith(".dist-info/METADATA") && name.indexOf('/') == name.lastIndexOf('/')) {
                    try (InputStream in = zip.getInputStream(entry)) {
                        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
                    }
                }
            }
        }
        throw new IOException(wheel.getFileName() + " has no .dist-info/METADATA");
    }

    private static String sdistMetadata(Path sdist) throws IOException {
        try (InputStream in = Files.newInputStream(sdist);
             TarArchiveInputStream tar = new TarArchiveInputStream(GzipCompressorInputStream.builder().setInputStream(in).get())) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                String name = entry.getName();
                if (name.endsWith("/PKG-INFO") && name.indexOf('/') == name.lastIndexOf('/')) {
                    return new String(tar.readAllBytes(), StandardCharsets.UTF_8);
                }
            }
        }
        throw new IOException(sdist.getFileName() + " has no PKG-INFO in its top folder");
    }
}
