package dev.tessera.scheduler.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CatalogFileTest {

    static ChipCatalog load(String text) throws IOException {
        return CatalogFile.merge(DefaultChips.all(),
                CatalogFile.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void yamlEntriesOverrideDefaultsByIdAndAddNewModels() throws IOException {
        ChipCatalog c = load("""
                chips:
                  - id: ascend-910b
                    bf16Tflops: 280
                    confidence: MEDIUM
                  - id: mlu-590
                    vendor: Cambricon
                    bf16Tflops: 314
                    memoryGiB: 80
                    resourceName: cambricon.com/mlu
                    aliases: [MLU590]
                """);
        ChipModel ascend = c.find("ascend-910b").orElseThrow();
        assertThat(ascend.bf16Tflops()).isEqualTo(280);
        assertThat(ascend.confidence()).isEqualTo(Confidence.MEDIUM);
        assertThat(ascend.memoryGiB()).isEqualTo(64);
        assertThat(ascend.resourceName()).isEqualTo("huawei.com/Ascend910");
        assertThat(c.resolve("MLU590").orElseThrow().id()).isEqualTo("mlu-590");
        assertThat(c.models()).hasSize(DefaultChips.all().size() + 1);
    }

    @Test
    void jsonWorksTooAndAliasesResolveNodeLabels() throws IOException {
        ChipCatalog c = load("{\"chips\": [{\"id\": \"h800\", \"interconnectGBps\": 300}]}");
        assertThat(c.find("h800").orElseThrow().interconnectGBps()).isEqualTo(300);
        assertThat(c.resolve("NVIDIA-A100-SXM4-80GB").orElseThrow().id()).isEqualTo("a100");
        assertThat(c.resolve("Tesla-V100-SXM2-32GB").orElseThrow().id()).isEqualTo("v100m32");
        assertThat(c.resolve("NVIDIA-H800").orElseThrow().id()).isEqualTo("h800");
    }

    @Test
    void aNewModelWithoutFiguresIsRefused() {
        assertThatThrownBy(() -> load("chips: [{id: mystery}]")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("mystery");
        assertThatThrownBy(() -> load("chips: [{id: Upper, bf16Tflops: 1, memoryGiB: 1, resourceName: x}]"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
