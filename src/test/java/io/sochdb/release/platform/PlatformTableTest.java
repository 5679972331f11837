package io.sochdb.release.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.sochdb.release.failure.InvalidInputException;

class PlatformTableTest {

    private static final String LINUX = "x86_64-unknown-linux-gnu";
    private static final String MAC = "aarch64-apple-darwin";
    private static final String WINDOWS = "x86_64-pc-windows-msvc";

    private final Map<String, String> config = new HashMap<>();

    /** The shipped application.properties table for the three platforms built by default. */
    @BeforeEach
    void defaults() {
        config.put("release.platforms", LINUX + ", " + MAC + "," + WINDOWS);
        platform(LINUX, "manylinux_2_17_x86_64", "sochdb-{version}-{triple}.tar.gz",
                "sochdb-bulk,sochdb-server,sochdb-grpc-server", "libsochdb_storage.so,libsochdb_index.so");
        platform(MAC, "macosx_11_0_arm64", "sochdb-{version}-{triple}.tar.gz",
                "sochdb-bulk,sochdb-server,sochdb-grpc-server", "libsochdb_storage.dylib,libsochdb_index.dylib");
        platform(WINDOWS, "win_amd64", "sochdb-{version}-{triple}.zip",
                "sochdb-bulk.exe,sochdb-grpc-server.exe", "sochdb_storage.dll,sochdb_index.dll");
    }

    @Test
    void loadsTheDefaultPlatformsInConfiguredOrder() {
        List<Platform> platforms = load();

        assertThat(platforms).extracting(Platform::triple).containsExactly(LINUX, MAC, WINDOWS);
        assertThat(platforms).extracting(Platform::tag).containsExactly("manylinux_2_17_x86_64", "macosx_11_0_arm64", "win_amd64");
        assertThat(platforms.get(0).executables()).containsExactly("sochdb-bulk", "sochdb-server", "sochdb-grpc-server");
        assertThat(platforms.get(1).libraries()).containsExactly("libsochdb_storage.dylib", "libsochdb_index.dylib");
        assertThat(platforms.get(2).executables()).containsExactly("sochdb-bulk.exe", "sochdb-grpc-server.exe");
        assertThat(platforms).extracting(Platform::isWindows).containsExactly(false, false, true);
    }

    @Test
    void archiveNameFillsVersionAndTriple() {
        List<Platform> platforms = load();
        assertThat(platforms.get(0).archiveName("0.3.2")).isEqualTo("sochdb-0.3.2-x86_64-unknown-linux-gnu.tar.gz");
        assertThat(platforms.get(2).archiveName("0.3.2")).isEqualTo("sochdb-0.3.2-x86_64-pc-windows-msvc.zip");
    }

    @Test
    void librariesAreOptional() {
        config.remove("release.platform." + WINDOWS + ".libraries");
        assertThat(load().get(2).libraries()).isEmpty();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"tag", "archive", "executables"})
    void missingRequiredKeyIsNamed(String field) {
        String key = "release.platform." + MAC + "." + field;
        config.remove(key);
        assertInvalid(key + " is missing");
    }

    @Test
    void blankRequiredKeyCountsAsMissing() {
        config.put("release.platform." + LINUX + ".executables", "  ");
        assertInvalid("release.platform." + LINUX + ".executables is missing");
    }

    @Test
    void plainLinuxTagIsRefusedBecausePypiRefusesIt() {
        config.put("release.platform." + LINUX + ".tag", "linux_x86_64");
        assertInvalid("\"linux_x86_64\" is not a platform tag PyPI accepts", "plain linux_* tags are refused");
    }

    @Test
    void legacyManylinuxAliasIsRefused() {
        config.put("release.platform." + LINUX + ".tag", "manylinux1");
        assertInvalid("release.platform." + LINUX + ".tag", "\"manylinux1\" is not a platform tag PyPI accepts");
    }

    @Test
    void macosElevenWithNonZeroMinorSuggestsTheFix() {
        config.put("release.platform." + MAC + ".tag", "macosx_11_1_arm64");
        assertInvalid("\"macosx_11_1_arm64\" is not a valid macOS tag", "macosx_11_0_arm64");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"manylinux_2_17_x86_64", "macosx_10_15_x86_64", "macosx_11_0_arm64", "win_amd64",
            "manylinux_2_17_aarch64", "musllinux_1_2_x86_64", "macosx_14_0_universal2"})
    void acceptsTagsPypiAccepts(String tag) {
        config.put("release.platform." + MAC + ".tag", tag);
        assertThat(load().get(1).tag()).isEqualTo(tag);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"sochdb-{triple}.tar.gz", "dl/sochdb-{version}-{triple}.tar.gz", "..\\sochdb-{version}.zip"})
    void archivePatternMustBeAFileNameWithVersion(String pattern) {
        config.put("release.platform." + LINUX + ".archive", pattern);
        assertInvalid("release.platform." + LINUX + ".archive must be a file name containing {version}");
    }

    @Test
    void archivePatternMustBeAnArchiveKindWeRead() {
        config.put("release.platform." + LINUX + ".archive", "sochdb-{version}-{triple}.tar.xz");
        assertInvalid(".tar.gz, .tgz or .zip");
    }

    @Test
    void executableWithAPathIsRefused() {
        config.put("release.platform." + LINUX + ".executables", "sochdb-bulk,bin/sochdb-server");
        assertInvalid("release.platform." + LINUX + ".executables", "\"bin/sochdb-server\" is not a plain file name");
    }

    @Test
    void emptyPlatformListIsRefused() {
        config.remove("release.platforms");
        assertInvalid("release.platforms", "lists no platform");
        config.put("release.platforms", "  ");
        assertInvalid("release.platforms", "lists no platform");
    }

    // RELEASE_PLATFORMS="," names no platform either; loading it would plan a release without a single wheel.
    @Test
    void separatorsOnlyPlatformListIsRefused() {
        config.put("release.platforms", " , ");
        assertInvalid("release.platforms", "lists no platform");
    }

    @Test
    void platformWithoutADescriptionIsNamed() {
        config.put("release.platforms", LINUX + ",riscv64gc-unknown-linux-gnu");
        assertInvalid("release.platform.riscv64gc-unknown-linux-gnu.tag is missing");
    }

    @Test
    void tagAutoIsAcceptedForEveryDefaultTriple() {
        for (String triple : List.of(LINUX, MAC, WINDOWS)) {
            config.put("release.platform." + triple + ".tag", "auto");
        }
        assertThat(load()).extracting(Platform::tag).containsExactly("auto", "auto", "auto");
        assertThat(load().get(2).isWindows()).isTrue();
    }

    @Test
    void tagAutoNeedsATripleTheGateCanPlace() {
        config.put("release.platforms", "riscv64gc-unknown-linux-gnu");
        platform("riscv64gc-unknown-linux-gnu", "auto", "sochdb-{version}-{triple}.tar.gz", "sochdb-bulk", "");
        assertInvalid("release.platform.riscv64gc-unknown-linux-gnu.tag", "tag auto needs a triple",
                "configure an explicit tag");
    }

    /** What a fresh install runs with: application.properties with every {{env:NAME:default}} at its default. */
    @Test
    void theShippedTableBuildsFiveUpstreamPlatformsAndRequiresTheClassicThree() throws IOException {
        Properties shipped = new Properties();
        try (InputStream in = PlatformTableTest.class.getResourceAsStream("/application.properties")) {
            shipped.load(in);
        }
        Pattern env = Pattern.compile("\\{\\{env:[A-Z_]+:([^}]*)}}");
        List<Platform> platforms = PlatformTable.load(key -> Optional.ofNullable(shipped.getProperty(key))
                .map(v -> env.matcher(v).replaceAll(m -> Matcher.quoteReplacement(m.group(1)))));

        assertThat(platforms).extracting(Platform::triple).containsExactly(LINUX, "aarch64-unknown-linux-gnu", MAC,
                "x86_64-apple-darwin", WINDOWS);
        assertThat(platforms).extracting(Platform::tag).containsExactly("manylinux_2_17_x86_64", "manylinux_2_17_aarch64",
                "macosx_11_0_arm64", "macosx_10_12_x86_64", "win_amd64");
        assertThat(platforms).extracting(Platform::required).containsExactly(true, false, true, false, true);
        assertThat(platforms).extracting(p -> p.archiveName("0.3.2")).containsExactly(
                "sochdb-0.3.2-x86_64-unknown-linux-gnu.tar.gz", "sochdb-0.3.2-aarch64-unknown-linux-gnu.tar.gz",
                "sochdb-0.3.2-aarch64-apple-darwin.tar.gz", "sochdb-0.3.2-x86_64-apple-darwin.tar.gz",
                "sochdb-0.3.2-x86_64-pc-windows-msvc.zip");
    }

    @Test
    void everyPlatformIsRequiredWhenTheRequiredListIsNotConfigured() {
        assertThat(load()).extracting(Platform::required).containsExactly(true, true, true);
    }

    @Test
    void requiredPlatformsAreMarkedAndTheRestAreOptional() {
        config.put("release.required-platforms", WINDOWS + " , " + LINUX);
        assertThat(load()).extracting(Platform::required).containsExactly(true, false, true);
        config.put("release.required-platforms", "");
        assertThat(load()).extracting(Platform::required).containsExactly(false, false, false);
    }

    @Test
    void aRequiredPlatformThatIsNotBuiltIsRefused() {
        config.put("release.required-platforms", LINUX + ",x86_64-apple-darwin");
        assertInvalid("release.required-platforms (env RELEASE_REQUIRED_PLATFORMS) names x86_64-apple-darwin",
                "RELEASE_PLATFORMS) does not list");
    }

    @Test
    void aTripleListedTwiceIsRefused() {
        config.put("release.platforms", LINUX + "," + MAC + "," + LINUX);
        assertInvalid("release.platforms (env RELEASE_PLATFORMS) names a triple twice");
    }

    private void platform(String triple, String tag, String archive, String executables, String libraries) {
        String key = "release.platform." + triple + ".";
        config.put(key + "tag", tag);
        config.put(key + "archive", archive);
        config.put(key + "executables", executables);
        config.put(key + "libraries", libraries);
    }

    private List<Platform> load() {
        return PlatformTable.load(key -> Optional.ofNullable(config.get(key)));
    }

    private void assertInvalid(String... fragments) {
        assertThatThrownBy(this::load).isInstanceOf(InvalidInputException.class)
                .satisfies(e -> assertThat(e.getMessage()).contains(fragments).doesNotContain("\n"));
    }
}
