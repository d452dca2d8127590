package dev.tessera.local.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LabelSelectorTest {

    private static final Map<String, String> WEB = Map.of("tier", "web", "tessera.dev/job", "ernie");

    @Test
    void everyKindOfRequirementMeansWhatItDoesInKubernetes() {
        assertThat(LabelSelector.parse("tier=web").matches(WEB)).isTrue();
        assertThat(LabelSelector.parse("tier==web").matches(WEB)).isTrue();
        assertThat(LabelSelector.parse("tier!=web").matches(WEB)).isFalse();
        assertThat(LabelSelector.parse("tier!=db").matches(WEB)).isTrue();
        assertThat(LabelSelector.parse("tier in (db, web)").matches(WEB)).isTrue();
        assertThat(LabelSelector.parse("tier in (db)").matches(WEB)).isFalse();
        assertThat(LabelSelector.parse("tier notin (db,cache)").matches(WEB)).isTrue();
        assertThat(LabelSelector.parse("tier notin (web)").matches(WEB)).isFalse();
        assertThat(LabelSelector.parse("tessera.dev/job").matches(WEB)).isTrue();
        assertThat(LabelSelector.parse("!tessera.dev/job").matches(WEB)).isFalse();
        assertThat(LabelSelector.parse("!zone").matches(WEB)).isTrue();
        // all of them, commas inside a set included
        assertThat(LabelSelector.parse("tier in (web,db),tessera.dev/job=ernie,!zone").matches(WEB)).isTrue();
        assertThat(LabelSelector.parse("tier in (web,db),tessera.dev/job=other").matches(WEB)).isFalse();
        // a missing label is not equal to anything, and not in any set
        assertThat(LabelSelector.parse("zone!=a").matches(WEB)).isTrue();
        assertThat(LabelSelector.parse("zone notin (a)").matches(WEB)).isTrue();
    }

    @Test
    void onlyEqualityIsLeftToTheMock() {
        assertThat(LabelSelector.parse("a=1,b==2").mockReads()).isTrue();
        assertThat(LabelSelector.parse("a=1,b!=2").mockReads()).isFalse();
        assertThat(LabelSelector.parse("a in (1)").mockReads()).isFalse();
        assertThat(LabelSelector.parse("a").mockReads()).isFalse();
    }

    @Test
    void aRequirementThatIsNoneIsRefused() {
        assertThatThrownBy(() -> LabelSelector.parse("tier in web")).hasMessageContaining("unable to parse requirement");
        assertThatThrownBy(() -> LabelSelector.parse("=web")).hasMessageContaining("\"=web\"");
    }
}
