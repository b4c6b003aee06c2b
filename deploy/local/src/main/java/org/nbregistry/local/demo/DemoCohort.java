package org.nbregistry.local.demo;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A seeded synthetic cohort shaped like the reference study (DOMAIN.md section a): children diagnosed 2019-2021 at six
 * sites, about a third refractory at their first episode, treatment-use rates near the study's (chemotherapy 97%,
 * immunotherapy 48%, consolidation 21%, local treatment 45%, maintenance 16%, trial 34%, biopsy 37%, profiling 30%)
 * and outcomes near its levels (EFS about 20%, OS about 30% at three years), better for refractory, first episodes,
 * response or stabilisation, and worse with MYCN amplification and lymph-node metastases. Nothing here describes a
 * real child: pseudonyms and record ids start with the cohort's label ({@value #LABEL} for the demo), and every regimen
 * label starts with {@value #LABEL}. Other labels, site lists and sizes give other cohorts of the same shape, e.g. for
 * {@code ./platform bench}.
 *
 * <p>The records are exactly what sites send to intake (without the site, which the token carries), in the order a
 * site would send them: each patient's records by date, so that no record arrives before what it refers to.
 */
public final class DemoCohort {

    public static final String LABEL = "SYN";
    public static final long DEFAULT_SEED = 20_190_101L;
    public static final int DEFAULT_PATIENTS = 120;
    /** The data cut-off of the synthetic cohort: no record is dated later, so none is ever in the future. */
    public static final LocalDate CUT_OFF = LocalDate.of(2025, 6, 30);
    static final int MAX_EPISODES = 3;

    private static final LocalDate FIRST_DIAGNOSIS = LocalDate.of(2019, 1, 1);
    private static final int DIAGNOSIS_SPAN_DAYS = 1095;
    private static final double[] SITE_WEIGHTS = {0.25, 0.20, 0.18, 0.15, 0.12, 0.10};
    /** Baseline daily hazards: progression or relapse, death without progression, loss to follow-up. */
    private static final double PROGRESSION_HAZARD = 1.0 / 330;
    private static final double DEATH_HAZARD = 1.0 / 3500;
    private static final double LOSS_TO_FOLLOW_UP_HAZARD = 1.0 / 5000;
    private static final double DIES_AT_PROGRESSION = 0.5;

    /** One record as intake takes it: its type (as in batches) and its body. */
    public record DemoRecord(String recordType, Map<String, Object> body) {

        public String recordId() {
            return (String) body.get("recordId");
        }
    }

    /** One site's records, in sending order. */
    public record DemoSite(String site, List<DemoRecord> records) {
    }

    private final List<String> sites;
    private final double[] siteWeights;
    private final int patients;
    private final long seed;
    private final String label;

    /**
     * The demo cohort's shape, labelled {@value #LABEL}.
     *
     * @param sites    site codes, largest first
     * @param patients how many patients in all
     */
    public DemoCohort(List<String> sites, int patients, long seed) {
        this(sites, patients, seed, LABEL);
    }

    /**
     * @param sites    site codes, largest first: six share patients as the study's six hospitals did, other counts equally
     * @param patients how many patients in all
     * @param label    what every pseudonym and record id starts with (followed by {@code -})
     */
    public DemoCohort(List<String> sites, int patients, long seed, String label) {
        if (sites.isEmpty()) {
            throw new IllegalArgumentException("a cohort needs at least one site");
        }
        if (patients < 1) {
            throw new IllegalArgumentException("a cohort needs at least one patient");
        }
        if (!label.matches("[A-Za-z0-9_]{3,40}")) {
            throw new IllegalArgumentException("a cohort label is 3 to 40 letters, digits or '_': " + label);
        }
        this.sites = List.copyOf(sites);
        this.siteWeights = sites.size() == SITE_WEIGHTS.length ? SITE_WEIGHTS : equalWeights(sites.size());
        this.patients = patients;
        this.seed = seed;
        this.label = label;
    }

    private static double[] equalWeights(int n) {
        double[] weights = new double[n];
        Arrays.fill(weights, 1.0 / n);
        return weights;
    }

    public List<DemoSite> generate() {
        SplittableRandom random = new SplittableRandom(seed);
        List<List<DemoRecord>> perSite = new ArrayList<>();
        sites.forEach(s -> perSite.add(new ArrayList<>()));
        for (int p = 1; p <= patients; p++) {
            int site = pick(random, siteWeights);
            perSite.get(site).addAll(new PatientCourse(random.split(), String.format("%s-%04d", label, p)).records());
        }
        List<DemoSite> result = new ArrayList<>();
        for (int i = 0; i < sites.size(); i++) {
            result.add(new DemoSite(sites.get(i), List.copyOf(perSite.get(i))));
        }
        return result;
    }

    private static int pick(SplittableRandom random, double[] weights) {
        double u = random.nextDouble();
        for (int i = 0; i < weights.length - 1; i++) {
            u -= weights[i];
            if (u < 0) {
                return i;
            }
        }
        return weights.length - 1;
    }

    /** One patient's course: diagnosis, up to three episodes with treatment and response, then death or last contact. */
    private static final class PatientCourse {

        private final SplittableRandom random;
        private final String id;
        private final List<DemoRecord> records = new ArrayList<>();

        PatientCourse(SplittableRandom random, String id) {
            this.random = random;
            this.id = id;
        }

        List<DemoRecord> records() {
            LocalDate diagnosis = FIRST_DIAGNOSIS.plusDays(random.nextInt(DIAGNOSIS_SPAN_DAYS));
            boolean mycnAmplified = chance(0.40);
            patient(diagnosis, mycnAmplified);

            boolean refractory = chance(0.33);
            LocalDate episodeDate = diagnosis.plusDays(refractory ? 150 + random.nextInt(90) : 270 + random.nextInt(720));
            String episodeType = refractory ? "refractory" : "relapse";
            // The registry holds children from their first refractory or relapse/progression episode on.
            LocalDate lostToFollowUp = episodeDate.plusDays(1 + exponentialDays(LOSS_TO_FOLLOW_UP_HAZARD));
            LocalDate lastContact = lostToFollowUp.isBefore(CUT_OFF) ? lostToFollowUp : CUT_OFF;
            for (int order = 1; order <= MAX_EPISODES && episodeDate.isBefore(lastContact); order++) {
                Episode episode = new Episode(order, episodeType, episodeDate, mycnAmplified);
                double risk = episode.logRisk();
                long toProgression = exponentialDays(PROGRESSION_HAZARD * Math.exp(risk));
                long toDeath = exponentialDays(DEATH_HAZARD * Math.exp(risk));
                boolean progresses = toProgression < toDeath;
                // Many children whose disease progresses die of it within weeks, without a further treated episode.
                boolean diesOfDisease = progresses && (order == MAX_EPISODES || chance(DIES_AT_PROGRESSION));
                LocalDate eventDate = episodeDate.plusDays(Math.max(20, progresses ? toProgression : toDeath)
                        + (diesOfDisease ? 14 + exponentialDays(1.0 / 90) : 0));
                LocalDate recordedUntil = eventDate.isBefore(lastContact) ? eventDate : lastContact;
                episode.emit(recordedUntil);
                if (!eventDate.isBefore(lastContact)) {
                    followUp(lastContact, false, null);
                    return records;
                }
                if (!progresses || diesOfDisease) {
                    followUp(eventDate, true, diesOfDisease ? "disease_progression" : "treatment_related");
                    return records;
                }
                episodeType = toProgression < 180 ? "progression" : "relapse";
                episodeDate = eventDate;
            }
            followUp(lastContact, false, null);
            return records;
        }

        private void patient(LocalDate diagnosis, boolean mycnAmplified) {
            String stage = pickOf(new String[]{"M", "L2", "MS"}, new double[]{0.85, 0.10, 0.05});
            Map<String, Object> frontline = new LinkedHashMap<>();
            frontline.put("protocol", "HR-NBL2");
            frontline.put("hdcAsct", "single");
            frontline.put("antiGd2", chance(0.7));
            frontline.put("radiotherapy", chance(0.8));
            Map<String, Object> body = body("PT", 0);
            body.put("sex", chance(0.55) ? "male" : "female");
            body.put("ageAtInitialDiagnosisDays", 365 + random.nextInt(3 * 1460));
            body.put("initialDiagnosisDate", diagnosis.toString());
            body.put("inrgssStage", stage);
            body.put("inssStage", switch (stage) {
                case "L2" -> "3";
                case "MS" -> "4S";
                default -> "4";
            });
            body.put("mycnStatusAtDiagnosis", mycnAmplified ? "amplified" : "not_amplified");
            body.put("frontline", frontline);
            records.add(new DemoRecord("patient", body));
        }

        private void followUp(LocalDate date, boolean dead, String cause) {
            Map<String, Object> body = body("FU", 0);
            body.put("date", date.toString());
            body.put("vitalStatus", dead ? "dead" : "alive");
            if (dead) {
                body.put("causeOfDeath", cause);
            }
            records.add(new DemoRecord("follow-up", body));
        }

        private Map<String, Object> body(String kind, int order) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("recordId", order == 0 ? id + "-" + kind : id + "-" + kind + order);
            body.put("patientPseudonym", id);
            return body;
        }

        private boolean chance(double p) {
            return random.nextDouble() < p;
        }

        private long exponentialDays(double hazard) {
            return Math.round(-Math.log(1 - random.nextDouble()) / hazard);
        }

        private String pickOf(String[] values, double[] weights) {
            return values[pick(random, weights)];
        }

        /** One episode: its covariates decide its risk; what was recorded ends at its event or the last contact. */
        private final class Episode {

            private final int order;
            private final String type;
            private final LocalDate date;
            private final boolean mycnAmplified;
            private final boolean lymphNodes = chance(0.35);
            private final boolean irinotecanOrTopotecan;
            private final boolean chemotherapy = chance(0.97);
            private final boolean immunotherapy = chance(0.48);
            private final boolean consolidation;
            private final boolean radiotherapy = chance(0.30);
            private final boolean surgery = chance(0.20);
            private final boolean maintenance = chance(0.16);
            private final boolean trial = chance(0.34);
            private final boolean respondsOrStabilises;

            Episode(int order, String type, LocalDate date, boolean mycnAmplified) {
                this.order = order;
                this.type = type;
                this.date = date;
                this.mycnAmplified = mycnAmplified;
                this.irinotecanOrTopotecan = chemotherapy && chance(0.65);
                this.consolidation = order == 1 && chance(0.30);
                this.respondsOrStabilises = chance(type.equals("refractory") ? 0.70 : order == 1 ? 0.60 : 0.40);
            }

            double logRisk() {
                return (type.equals("refractory") ? -0.45 : 0) + (order > 1 ? 0.55 : 0) + (respondsOrStabilises ? -0.9 : 0.3)
                        + (mycnAmplified ? 0.45 : 0) + (lymphNodes ? 0.35 : 0) + (irinotecanOrTopotecan ? -0.35 : 0)
                        + (radiotherapy ? -0.35 : 0) + (immunotherapy ? -0.2 : 0) + (trial ? -0.1 : 0);
            }

            /** The episode record, its treatment line and its response assessment, none dated after {@code until}. */
            void emit(LocalDate until) {
                episodeRecord();
                LocalDate start = date.plusDays(7);
                if (start.isBefore(until)) {
                    LocalDate plannedEnd = start.plusDays(90 + random.nextInt(120));
                    treatmentLine(start, plannedEnd.isBefore(until) ? plannedEnd : until.minusDays(1));
                }
                LocalDate assessed = date.plusDays(60);
                if (!assessed.isAfter(until)) {
                    assessment(assessed);
                }
            }

            private void episodeRecord() {
                List<String> sites = new ArrayList<>();
                if (chance(0.65)) {
                    sites.add("bone");
                }
                if (chance(0.50)) {
                    sites.add("bone_marrow");
                }
                boolean distantNodes = lymphNodes && chance(0.6);
                if (lymphNodes) {
                    sites.add(distantNodes ? "distant_lymph_nodes" : "regional_lymph_nodes");
                }
                if (chance(0.10)) {
                    sites.add("liver");
                }
                if (chance(0.05)) {
                    sites.add("lung");
                }
                if (chance(0.04)) {
                    sites.add("cns");
                }
                Map<String, Object> body = body("EP", order);
                body.put("episodeType", type);
                body.put("episodeDate", date.toString());
                body.put("diseaseExtent", sites.isEmpty() ? "local" : chance(0.5) ? "combined" : "metastatic");
                if (!sites.isEmpty()) {
                    body.put("metastaticSites", sites);
                }
                body.put("lymphNodeInvolvement", !lymphNodes ? "none" : distantNodes ? "distant" : "regional");
                if (chance(0.37)) {
                    body.put("biopsy", Map.of("performed", true, "date", date.plusDays(random.nextInt(10)).toString()));
                } else {
                    body.put("biopsy", Map.of("performed", false));
                }
                if (chance(0.30)) {
                    body.put("molecularProfiling", Map.of("performed", true, "methods", List.of("ngs_panel")));
                    body.put("alk", Map.of("status", chance(0.12) ? "mutated" : "wild_type"));
                } else {
                    body.put("molecularProfiling", Map.of("performed", false));
                }
                body.put("mycnStatus", mycnAmplified ? "amplified" : "not_amplified");
                body.put("clinicalTrial", trial ? Map.of("enrolled", true, "registryId", "NCT02308527") : Map.of("enrolled", false));
                records.add(new DemoRecord("episode", body));
            }

            private void treatmentLine(LocalDate start, LocalDate end) {
                List<Map<String, Object>> components = new ArrayList<>();
                String regimen = "other chemotherapy";
                if (chemotherapy) {
                    List<String> agents;
                    if (irinotecanOrTopotecan) {
                        int which = random.nextInt(3);
                        regimen = new String[]{"TEMIRI", "TOTEM", "topotecan-cyclophosphamide"}[which];
                        agents = List.of(List.of("temozolomide", "irinotecan"), List.of("topotecan", "temozolomide"),
                                List.of("topotecan", "cyclophosphamide")).get(which);
                    } else {
                        agents = List.of("carboplatin", "etoposide");
                        regimen = "carboplatin-etoposide";
                    }
                    components.add(component("chemotherapy", agents));
                }
                if (immunotherapy) {
                    components.add(component("immunotherapy", List.of(chance(0.7) ? "dinutuximab_beta" : "naxitamab")));
                }
                if (consolidation) {
                    Map<String, Object> hdc = component("consolidation", List.of("busulfan", "melphalan"));
                    hdc.put("stemCellRescue", "single");
                    components.add(hdc);
                }
                if (surgery) {
                    Map<String, Object> resection = component("local_surgery", null);
                    resection.put("surgeryExtent", chance(0.6) ? "gross_total" : "partial");
                    components.add(resection);
                }
                if (radiotherapy) {
                    Map<String, Object> rt = component("local_radiotherapy", null);
                    rt.put("radiotherapy", Map.of("totalDoseGy", 21.6, "fractions", 12, "modality", "photon", "target", "primary"));
                    components.add(rt);
                }
                if (maintenance) {
                    components.add(component("maintenance", List.of("isotretinoin")));
                }
                if (components.isEmpty()) {
                    components.add(component("targeted", List.of("lorlatinib")));
                    regimen = "lorlatinib";
                }
                Map<String, Object> body = body("TR", order);
                body.put("episodeRecordId", id + "-EP" + order);
                body.put("lineNumber", 1);
                body.put("intent", order == MAX_EPISODES ? "palliative" : "curative");
                body.put("startDate", start.toString());
                if (end.isAfter(start)) {
                    body.put("endDate", end.toString());
                }
                body.put("regimenLabel", LABEL + " " + regimen);
                if (trial) {
                    body.put("clinicalTrial", Map.of("enrolled", true, "registryId", "NCT02308527"));
                }
                body.put("components", components);
                records.add(new DemoRecord("treatment", body));
            }

            private Map<String, Object> component(String category, List<String> agents) {
                Map<String, Object> component = new LinkedHashMap<>();
                component.put("category", category);
                if (agents != null) {
                    component.put("agents", agents);
                }
                return component;
            }

            /** INRC 2017 components whose derived overall response is PR or SD for a responder, PD otherwise. */
            private void assessment(LocalDate date) {
                Map<String, Object> body = body("RA", order);
                body.put("episodeRecordId", id + "-EP" + order);
                body.put("assessmentDate", date.toString());
                if (respondsOrStabilises) {
                    boolean partial = chance(0.55);
                    body.put("primaryResponse", partial ? "PR" : "SD");
                    body.put("metastaticResponse", partial ? "PR" : "SD");
                    body.put("boneMarrowResponse", partial ? "CR" : "SD");
                } else {
                    body.put("primaryResponse", "SD");
                    body.put("metastaticResponse", "PD");
                    body.put("boneMarrowResponse", "SD");
                }
                records.add(new DemoRecord("response-assessment", body));
            }
        }
    }
}
