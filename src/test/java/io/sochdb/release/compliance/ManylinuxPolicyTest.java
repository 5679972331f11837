package io.sochdb.release.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ManylinuxPolicyTest {

    private final ManylinuxPolicy policy = ManylinuxPolicy.load();

    @Test
    void theShippedDataHoldsTheKnownPoliciesOldestFirst() {
        assertThat(policy.policies("x86_64")).extracting(ManylinuxPolicy.Policy::name)
                .startsWith("manylinux_2_5", "manylinux_2_12", "manylinux_2_17").contains("manylinux_2_28", "manylinux_2_39");
        assertThat(policy.policies("aarch64").get(0).name()).isEqualTo("manylinux_2_17");
        assertThat(policy.policies("riscv64")).isEmpty();
    }

    @Test
    void manylinux2014AllowsWhatAuditwheelAllows() {
        ManylinuxPolicy.Policy p = policy.governing("x86_64", DottedVersion.of(2, 17)).orElseThrow();
        assertThat(p.maxVersions()).containsEntry("GLIBCXX", DottedVersion.parse("3.4.19"))
                .containsEntry("CXXABI", DottedVersion.parse("1.3.7")).containsEntry("GCC", DottedVersion.parse("4.8.0"));
        assertThat(p.libraries()).contains("libc.so.6", "libm.so.6", "libstdc++.so.6", "libz.so.1")
                .doesNotContain("libmvec.so.1", "libselinux.so.1");
        assertThat(policy.loaders("x86_64")).containsExactly("ld-linux-x86-64.so.2");
    }

    @Test
    void aTagBetweenPoliciesIsHeldToTheOlderOne() {
        assertThat(policy.governing("x86_64", DottedVersion.of(2, 37)).orElseThrow().name()).isEqualTo("manylinux_2_36");
        assertThat(policy.governing("aarch64", DottedVersion.of(2, 12))).isEmpty();
    }
}
