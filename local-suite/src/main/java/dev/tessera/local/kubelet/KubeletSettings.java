package dev.tessera.local.kubelet;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How the simulated kubelet runs workers.
 *
 * @param timeScale  simulated seconds per real second: 10000 runs a day of training in under 9 seconds
 * @param crashRates chance per simulated day that one worker on that chip model crashes; key {@code default} for the rest
 * @param seed       seed of the crash dice, so a run can be repeated
 */
public record KubeletSettings(double timeScale, Map<String, Double> crashRates, long seed) {

    /** Long training runs crash more often on the domestic accelerators than on NVIDIA's mature stack. */
    public static final String DEFAULT_CRASH_RATES = "ascend-910b=0.05,kunlun-p800=0.05,dcu-z100=0.05,v100=0.01,default=0.005";
    public static final double DEFAULT_TIME_SCALE = 10_000;

    public KubeletSettings {
        if (timeScale <= 0) {
            throw new IllegalArgumentException("time scale must be positive, was " + timeScale);
        }
        crashRates = Map.copyOf(crashRates);
    }

    public static KubeletSettings defaults() {
        return new KubeletSettings(DEFAULT_TIME_SCALE, parseCrashRates(DEFAULT_CRASH_RATES), 42);
    }

    /** {@code chip=rate,...}, or {@code off} for no crashes at all. */
    public static Map<String, Double> parseCrashRates(String text) {
        Map<String, Double> rates = new LinkedHashMap<>();
        if (text == null || text.isBlank() || text.equalsIgnoreCase("off") || text.equalsIgnoreCase("none")) {
            return rates;
        }
        for (String pair : text.split(",")) {
            String[] kv = pair.trim().split("=", 2);
            if (kv.length != 2) {
                throw new IllegalArgumentException("crash rate '" + pair + "' is not chip=rate");
            }
            double rate = Double.parseDouble(kv[1].trim());
            if (rate < 0 || rate > 1) {
                throw new IllegalArgumentException("crash rate of " + kv[0] + " must be within [0, 1], was " + rate);
            }
            rates.put(kv[0].trim(), rate);
        }
        return rates;
    }

    double crashRatePerDay(String chip) {
        return crashRates.getOrDefault(chip, crashRates.getOrDefault("default", 0.0));
    }
}
