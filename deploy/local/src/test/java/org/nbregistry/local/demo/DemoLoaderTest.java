package org.nbregistry.local.demo;

import org.junit.jupiter.api.Test;
import org.nbregistry.local.demo.DemoCohort.DemoRecord;
import org.nbregistry.local.demo.DemoCohort.DemoSite;
import org.nbregistry.local.platform.Catalog;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The demo's batches keep each patient whole and in sending order, so no record reaches intake before its episode. */
class DemoLoaderTest {

    @Test
    void batches_cut_between_patients_only_and_keep_the_sending_order() {
        List<DemoSite> cohort = new DemoCohort(Catalog.DEMO_SITES, DemoCohort.DEFAULT_PATIENTS, DemoCohort.DEFAULT_SEED).generate();
        for (int limit : List.of(11, 40, DemoLoader.BATCH_LIMIT)) {
            for (DemoSite site : cohort) {
                List<List<DemoRecord>> batches = DemoLoader.batches(site.records(), limit);
                List<DemoRecord> sent = new ArrayList<>();
                Map<Object, Integer> batchOfPatient = new HashMap<>();
                for (int i = 0; i < batches.size(); i++) {
                    List<DemoRecord> batch = batches.get(i);
                    int index = i;
                    assertTrue(!batch.isEmpty() && batch.size() <= limit, site.site() + " batch " + i + ": " + batch.size());
                    for (DemoRecord record : batch) {
                        Object patient = record.body().get("patientPseudonym");
                        assertEquals(index, batchOfPatient.computeIfAbsent(patient, p -> index),
                                patient + " is in one batch at " + site.site() + " (limit " + limit + ")");
                    }
                    sent.addAll(batch);
                }
                assertEquals(site.records(), sent, site.site() + ": every record once, in the cohort's order");
            }
        }
    }
}
