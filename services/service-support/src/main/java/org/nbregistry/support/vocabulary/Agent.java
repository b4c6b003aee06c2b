package org.nbregistry.support.vocabulary;

/**
 * One anticancer agent of the registry's controlled vocabulary.
 *
 * @param code      the registry's code, what sites send and events carry
 * @param name      the name people read
 * @param ncitCode  NCI Thesaurus concept code (PCDC's choice); null while no code has been chosen
 * @param agentClass what kind of agent it is, so analyses can group agents (e.g. every anti-GD2 antibody)
 */
public record Agent(String code, String name, String ncitCode, AgentClass agentClass) {

    public enum AgentClass {
        CYTOTOXIC, ANTI_GD2_ANTIBODY, CYTOKINE, ALK_INHIBITOR, ANTI_ANGIOGENIC, RADIOPHARMACEUTICAL, DIFFERENTIATING, ODC_INHIBITOR,
        INVESTIGATIONAL;

        public String code() {
            return name().toLowerCase();
        }
    }
}
