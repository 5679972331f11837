package io.sochdb.release.sdk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sochdb.release.failure.InvalidInputException;
import io.sochdb.release.packaging.ProjectMetadata;

/**
 * The Python SDK source tree: its metadata and the files that ship in wheels and the sdist.
 * Loaded once per release and shared, read-only, by every platform.
 */
public final class SdkProject {

    private static final Logger LOG = LoggerFactory.getLogger(SdkProject.class);
    private static final Set<String> SKIPPED_FOLDERS = Set.of("__pycache__", "tests", "test");
    /** Folders of the binary package that the release fills per platform; the SDK's own copies never ship. */
    private static final Set<String> RELEASE_OWNED = Set.of("_bin", "lib");
    private static final Set<String> VERSION_FILES = Set.of("__init__.py", "_version.py", "version.py", "__about__.py");
    /** Build files an sdist needs besides pyproject.toml so that it builds the same way as the tree it came from. */
    private static final List<String> BUILD_FILES = List.of("setup.py", "setup.cfg", "MANIFEST.in");

    private final Path root;
    private final ProjectMetadata metadata;
    private final List<SourceFile> packageFiles;
    private final String readmeFile;
    /** Read once: summaries ask later, when the source tree may be gone. */
    private final Set<String> declaredVersions;

    private SdkProject(Path root, ProjectMetadata metadata, List<SourceFile> packageFiles, String readmeFile) {
        this.root = root;
        this.metadata = metadata;
        this.packageFiles = packageFiles;
        this.readmeFile = readmeFile;
        this.declaredVersions = declaredVersions(packageFiles);
    }

    /**
     * @param binaryPackage the import package that receives {@code _bin/} and {@code lib/} (e.g. {@code sochdb})
     */
    public static SdkProject load(Path root, String binaryPackage) {
        if (root == null || !Files.isDirectory(root)) {
            throw new InvalidInputException("SDK source " + root + " is not a readable folder");
        }
        Path absolute = root.toAbsolutePath().normalize();
        JsonNode document = PyProjectReader.parse(absolute.resolve("pyproject.toml"));
        ProjectMetadata metadata = PyProjectReader.read(absolute, document);
        TreeMap<String, Path> packages = PackageLayout.topLevelPackages(absolute, document);
        if (!packages.containsKey(binaryPackage)) {
            throw new InvalidInputException("SDK source " + absolute + " has no package \"" + binaryPackage
                    + "\" to hold the binaries (found: " + String.join(", ", packages.keySet()) + ")");
        }
        List<SourceFile> files = new ArrayList<>();
        for (Map.Entry<String, Path> pkg : packages.entrySet()) {
            collect(absolute, pkg.getKey(), pkg.getValue(), pkg.getKey().equals(binaryPackage), files);
        }
        files.sort(Comparator.comparing(SourceFile::packagePath));
        JsonNode readme = document.path("project").path("readme");
        String readmeFile = readme.isTextual() ? readme.asText() : readme.path("file").asText(null);
        return new SdkProject(absolute, metadata, List.copyOf(files), readmeFile);
    }

    public Path root() {
        return root;
    }

    public ProjectMetadata metadata() {
        return metadata;
    }

    /** Files of the import packages, sorted by their path in a wheel. */
    public List<SourceFile> packageFiles() {
        return packageFiles;
    }

    /** Everything the sdist holds besides PKG-INFO and pyproject.toml, sorted by project path. */
    public List<SourceFile> sdistExtras() {
        TreeMap<String, SourceFile> extras = new TreeMap<>();
        List<String> topLevel = new ArrayList<>(metadata.licenseFiles());
        topLevel.addAll(BUILD_FILES);
        if (readmeFile != null) {
            topLevel.add(readmeFile);
        }
        for (String relative : topLevel) {
            Path file = SafePaths.inside(root, relative, "sdist file");
            if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                SafePaths.refuseLink(root, file);
            }
            if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                extras.put(relative, new SourceFile(relative, relative, file, false));
            }
        }
        for (SourceFile file : packageFiles) {
            extras.put(file.projectPath(), file);
        }
        return List.copyOf(extras.values());
    }

    public Path pyproject() {
        return root.resolve("pyproject.toml");
    }

    /** The bytes that ship for a file: version files get the release version stamped in. */
    public byte[] content(SourceFile file, String version) throws IOException {
        return content(file, version, null);
    }

    /** As {@link #content(SourceFile, String)}, and {@code __core_version__} gets {@code coreVersion} when not null. */
    public byte[] content(SourceFile file, String version, String coreVersion) throws IOException {
        byte[] bytes = Files.readAllBytes(file.file());
        if (!file.versionFile()) {
            return bytes;
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        return VersionStamp.python(text, version, coreVersion).getBytes(StandardCharsets.UTF_8);
    }

    /** Whether any version file assigns {@code field} ({@link VersionStamp#VERSION} or {@link VersionStamp#CORE_VERSION}). */
    public boolean declares(String field) {
        return declaredVersions.contains(field);
    }

    private static Set<String> declaredVersions(List<SourceFile> files) {
        Set<String> declared = new java.util.HashSet<>();
        for (SourceFile file : files) {
            if (!file.versionFile()) {
                continue;
            }
            try {
                String text = Files.readString(file.file(), StandardCharsets.UTF_8);
                for (String field : List.of(VersionStamp.VERSION, VersionStamp.CORE_VERSION)) {
                    if (VersionStamp.declares(text, field)) {
                        declared.add(field);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file.projectPath(), e);
            }
        }
        return Set.copyOf(declared);
    }

    private static void collect(Path root, String name, Path dir, boolean binaryPackage, List<SourceFile> out) {
        Path parent = dir.getParent();
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path folder, BasicFileAttributes attrs) {
                    String folderName = folder.getFileName().toString();
                    boolean owned = binaryPackage && folder.getParent().equals(dir) && RELEASE_OWNED.contains(folderName)
                            && !Files.exists(folder.resolve("__init__.py"));
                    if (!folder.equals(dir) && (SKIPPED_FOLDERS.contains(folderName) || folderName.startsWith(".")
                            || folderName.endsWith(".egg-info") || owned)) {
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    String fileName = file.getFileName().toString();
                    if (attrs.isSymbolicLink()) {
                        throw new InvalidInputException("SDK source holds a symbolic link " + root.relativize(file)
                                + "; replace it with the file it points to");
                    }
                    if (fileName.startsWith(".") || fileName.endsWith(".pyc") || fileName.endsWith(".pyo")
                            || !attrs.isRegularFile()) {
                        return FileVisitResult.CONTINUE;
                    }
                    if (BinaryFiles.isBinary(file)) {
                        LOG.warn("Leaving out {}: compiled files in the SDK source never ship", root.relativize(file));
                        return FileVisitResult.CONTINUE;
                    }
                    String packagePath = parent.relativize(file).toString().replace('\\', '/');
                    boolean versionFile = file.getParent().equals(dir) && VERSION_FILES.contains(fileName);
                    out.add(new SourceFile(packagePath, root.relativize(file).toString().replace('\\', '/'), file,
                            versionFile));
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read package " + name + " in " + dir, e);
        }
    }
}
