package dev.tessera.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.tessera.operator.pools.PoolSnapshotTest;

class SpecValidatorTest {
    @Test
    void aValidSpecPasses() {
        var spec = WorkerPodsTest.job().getSpec();
        spec.getChips().setAllowed(List.of("a100", "ascend-910b"));
        spec.getChips().setPreferred(List.of("a100"));
        assertThat(SpecValidator.validate(spec, PoolSnapshotTest.CATALOG)).isEmpty();
    }

    @Test
    void unknownChipModelsAndAContainerWithoutImageAreNamed() {
        var spec = WorkerPodsTest.job().getSpec();
        spec.getChips().setAllowed(List.of("a100", "h999"));
        spec.getChips().setPreferred(List.of("ascend-910b"));
        spec.getTemplate().getSpec().getContainers().get(1).setImage(null);
        assertThat(SpecValidator.validate(spec, PoolSnapshotTest.CATALOG)).containsExactlyInAnyOrder(
                "spec.chips.allowed: unknown chip model 'h999'",
                "spec.chips.preferred: 'ascend-910b' is not in spec.chips.allowed",
                "spec.template.spec.containers: every container needs an image");
    }

    @Test
    void crossFieldRulesAreCheckedAgainEvenWithoutTheCrd() {
        var spec = WorkerPodsTest.job().getSpec();
        spec.setMinShards(5);
        spec.setTensorParallel(8);
        assertThat(SpecValidator.validate(spec, PoolSnapshotTest.CATALOG)).hasSize(2);
    }

    @Test
    void aContainerWithoutANameIsNamed() {
        var spec = WorkerPodsTest.job().getSpec();
        spec.getTemplate().getSpec().getContainers().get(0).setName(null);
        assertThat(SpecValidator.validate(spec, PoolSnapshotTest.CATALOG))
                .containsExactly("spec.template.spec.containers: every container needs a name");
    }

    @Test
    void aJobNameMustMakeValidServiceAndHostNames() {
        var spec = WorkerPodsTest.job().getSpec();
        spec.setShards(16);
        spec.setChipsPerShard(8);
        assertThat(SpecValidator.validateName("llama-70b", spec)).isEmpty();
        // "-s15-w7" leaves 56 characters
        assertThat(SpecValidator.validateName("a".repeat(56), spec)).isEmpty();
        assertThat(SpecValidator.validateName("a".repeat(57), spec)).singleElement().asString()
                .contains("at most 56 characters");
        for (String bad : List.of("llama-3.1-70b", "7b-pretrain", "trailing-", "Upper")) {
            assertThat(SpecValidator.validateName(bad, spec)).as(bad).singleElement().asString()
                    .startsWith("metadata.name '" + bad + "'");
        }
    }
}
