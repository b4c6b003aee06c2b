package org.nbregistry.local.bench;

import org.nbregistry.local.demo.DemoCohort;
import org.nbregistry.local.demo.DemoCohort.DemoRecord;
import org.nbregistry.local.demo.DemoCohort.DemoSite;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The bench's synthetic patients: the demo cohort's shape ({@link DemoCohort}) under a label of their own per run
 * and part, so that a bench on a platform that already holds data always sends new records. Each part (load, probes,
 * burst, background) is its own cohort with its own seed derived from the bench's seed: the same seed and run give the
 * same records.
 */
final class BenchCohort {

    /** One patient's records in sending order (patient first, each episode before what refers to it). */
    record Patient(String site, String pseudonym, List<DemoRecord> records) {
    }

    /** One POST /v1/batches: whole patients of one site. */
    record Batch(String site, List<DemoRecord> records, String idempotencyKey) {

        int size() {
            return records.size();
        }
    }

    private final List<String> sites;
    private final long seed;
    private final String label;

    /**
     * @param run a short token of letters and digits unique to this run, e.g. the start time in base 36
     */
    BenchCohort(List<String> sites, long seed, String run) {
        this.sites = List.copyOf(sites);
        this.seed = seed;
        this.label = "BNC" + seed + run;
    }

    String label() {
        return label;
    }

    /** {@code n} patients of the part named by one letter; every pseudonym starts with the run's label and the part. */
    List<Patient> patients(String part, int n) {
        List<DemoSite> cohort = new DemoCohort(sites, n, seed * 31 + part.hashCode(), label + part).generate();
        List<Patient> patients = new ArrayList<>();
        for (DemoSite site : cohort) {
            List<DemoRecord> current = new ArrayList<>();
            for (DemoRecord record : site.records()) {
                if (!current.isEmpty() && !pseudonym(current.get(0)).equals(pseudonym(record))) {
                    patients.add(new Patient(site.site(), pseudonym(current.get(0)), List.copyOf(current)));
                    current.clear();
                }
                current.add(record);
            }
            if (!current.isEmpty()) {
                patients.add(new Patient(site.site(), pseudonym(current.get(0)), List.copyOf(current)));
            }
        }
        // Generation order, so that the sites' patients interleave as they would arrive.
        patients.sort(Comparator.comparingInt(p -> Integer.parseInt(p.pseudonym().substring(p.pseudonym().lastIndexOf('-') + 1))));
        return patients;
    }

    /** Whole patients of the part, the fewest whose records reach {@code records}. */
    List<Patient> patientsWithRecords(String part, int records) {
        int n = Math.max(1, records / 5);
        while (true) {
            List<Patient> patients = patients(part, n);
            List<Patient> taken = new ArrayList<>();
            int count = 0;
            for (Patient patient : patients) {
                if (count >= records) {
                    return taken;
                }
                taken.add(patient);
                count += patient.records().size();
            }
            if (count >= records) {
                return taken;
            }
            n *= 2;
        }
    }

    /** The patients' records in batches of at most {@code size}, each batch whole patients of one site. */
    static List<Batch> batches(List<Patient> patients, int size, String keyPrefix) {
        List<Batch> batches = new ArrayList<>();
        Map<String, List<DemoRecord>> open = new LinkedHashMap<>();
        for (Patient patient : patients) {
            List<DemoRecord> batch = open.computeIfAbsent(patient.site(), s -> new ArrayList<>());
            if (!batch.isEmpty() && batch.size() + patient.records().size() > size) {
                batches.add(new Batch(patient.site(), List.copyOf(batch), keyPrefix + "-" + (batches.size() + 1)));
                batch.clear();
            }
            batch.addAll(patient.records());
        }
        open.forEach((site, batch) -> {
            if (!batch.isEmpty()) {
                batches.add(new Batch(site, List.copyOf(batch), keyPrefix + "-" + (batches.size() + 1)));
            }
        });
        return batches;
    }

    /** A probe patient: the patient and its first episode only, so that its death adds exactly one OS event. */
    static Patient probe(Patient patient) {
        List<DemoRecord> records = patient.records().stream()
                .filter(r -> r.recordType().equals("patient") || r.recordId().endsWith("-EP1"))
                .toList();
        return new Patient(patient.site(), patient.pseudonym(), records);
    }

    /** The probe's death: after its only episode and never after the cohort's cut-off. */
    static DemoRecord death(Patient probe) {
        DemoRecord episode = probe.records().stream().filter(r -> r.recordType().equals("episode")).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("a probe patient has an episode: " + probe.pseudonym()));
        LocalDate date = LocalDate.parse((String) episode.body().get("episodeDate")).plusDays(30);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("recordId", probe.pseudonym() + "-FU");
        body.put("patientPseudonym", probe.pseudonym());
        body.put("date", (date.isAfter(DemoCohort.CUT_OFF) ? DemoCohort.CUT_OFF : date).toString());
        body.put("vitalStatus", "dead");
        body.put("causeOfDeath", "disease_progression");
        return new DemoRecord("follow-up", body);
    }

    /** The patient's course with a death recorded as the last contact alive instead: background load adds no OS event. */
    static Patient alive(Patient patient) {
        List<DemoRecord> records = patient.records().stream().map(r -> {
            if (!r.recordType().equals("follow-up") || !"dead".equals(r.body().get("vitalStatus"))) {
                return r;
            }
            Map<String, Object> body = new LinkedHashMap<>(r.body());
            body.put("vitalStatus", "alive");
            body.remove("causeOfDeath");
            return new DemoRecord(r.recordType(), body);
        }).toList();
        return new Patient(patient.site(), patient.pseudonym(), records);
    }

    private static String pseudonym(DemoRecord record) {
        return (String) record.body().get("patientPseudonym");
    }
}
