package dev.tessera.local;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OptionsTest {

    @Test
    void durationsAreWholeSecondsMinutesOrHours() {
        Options options = Options.parse(new String[] {"--a", "90s", "--b=30m", "--c", "2h"});
        assertThat(options.durationOption("a", Duration.ZERO)).isEqualTo(Duration.ofSeconds(90));
        assertThat(options.durationOption("b", Duration.ZERO)).isEqualTo(Duration.ofMinutes(30));
        assertThat(options.durationOption("c", Duration.ZERO)).isEqualTo(Duration.ofHours(2));
        assertThat(options.durationOption("absent", Duration.ofHours(1))).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void aDurationWithoutUnitOrOfZeroIsRefusedByName() {
        for (String bad : new String[] {"90", "0s", "-5m", "1d", "1.5h", ""}) {
            Options options = Options.parse(new String[] {"--event-ttl=" + bad});
            assertThatThrownBy(() -> options.durationOption("event-ttl", Duration.ofHours(1)))
                    .as(bad).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--event-ttl");
        }
    }
}
