package org.nbregistry.analytics.statistics;

import jakarta.enterprise.context.ApplicationScoped;
import org.nbregistry.analytics.projection.AnalysisRecord;
import org.nbregistry.analytics.projection.PatientHistory;
import org.nbregistry.analytics.survival.KaplanMeier;
import org.nbregistry.analytics.survival.KaplanMeierCurve;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The analysis records in memory, one entry per patient, each at the newest projection version seen. Every
 * accepted change bumps the dataset version that answers carry.
 */
@ApplicationScoped
public class SurvivalState {

    /** An answer and the data it reflects. */
    public record Snapshot<T>(long datasetVersion, Instant reflectsChangesUpTo, T value) {
    }

    private final Map<String, PatientHistory> patients = new HashMap<>();
    private long datasetVersion;
    private Instant lastChange = Instant.EPOCH;

    public synchronized void replacePatient(PatientHistory history) {
        PatientHistory known = patients.get(history.pseudonym());
        if (known != null && known.version() >= history.version()) {
            return;
        }
        patients.put(history.pseudonym(), history);
        datasetVersion++;
        lastChange = Instant.now();
    }

    public synchronized Snapshot<List<AnalysisRecord>> records() {
        return new Snapshot<>(datasetVersion, lastChange,
                patients.values().stream().flatMap(p -> p.analysisRecords().stream()).toList());
    }

    /** Overall OS Kaplan–Meier curve of every episode seen (R: survfit(Surv(os_days, os_event) ~ 1)). */
    public Snapshot<KaplanMeierCurve> overallSurvival() {
        Snapshot<List<AnalysisRecord>> snapshot = records();
        TreeMap<Integer, int[]> byDay = new TreeMap<>();
        for (AnalysisRecord r : snapshot.value()) {
            byDay.computeIfAbsent(r.osDays(), d -> new int[2])[r.osEvent() ? 0 : 1]++;
        }
        int[] days = new int[byDay.size()];
        int[] events = new int[days.length];
        int[] censored = new int[days.length];
        int i = 0;
        for (Map.Entry<Integer, int[]> day : byDay.entrySet()) {
            days[i] = day.getKey();
            events[i] = day.getValue()[0];
            censored[i] = day.getValue()[1];
            i++;
        }
        return new Snapshot<>(snapshot.datasetVersion(), snapshot.reflectsChangesUpTo(), KaplanMeier.fromCounts(days, events, censored));
    }
}
