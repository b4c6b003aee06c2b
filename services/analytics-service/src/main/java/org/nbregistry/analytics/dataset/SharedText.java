package org.nbregistry.analytics.dataset;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One instance of each repeated text of the histories: attribute names and codes, sites, episode types, categories.
 * A history read back from MongoDB brings its own copy of each (the BSON decoder makes a new string every time): at
 * 10^6 episodes that was about 16 million strings, which with the statistics overfilled a 2 GB heap at start-up.
 * Bounded, so that free text cannot grow it without limit; beyond the bound a text is kept as it came.
 */
final class SharedText {

    static final int MAX_TEXTS = 50_000;
    private static final Map<String, String> TEXTS = new ConcurrentHashMap<>();

    private SharedText() {
    }

    static String of(String text) {
        if (text == null) {
            return null;
        }
        String shared = TEXTS.get(text);
        if (shared != null) {
            return shared;
        }
        if (TEXTS.size() >= MAX_TEXTS) {
            return text;
        }
        shared = TEXTS.putIfAbsent(text, text);
        return shared == null ? text : shared;
    }

    /** An unmodifiable copy with shared names and values. */
    static Map<String, String> of(Map<String, String> attributes) {
        Map<String, String> shared = new HashMap<>(attributes.size() * 2);
        attributes.forEach((name, value) -> shared.put(of(name), of(value)));
        return Map.copyOf(shared);
    }
}
