package org.nbregistry.episode.response;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The overall response of DOMAIN.md's algorithm, one combination per row: primary, metastases, bone marrow → overall. */
class InrcResponseTest {

    @ParameterizedTest(name = "{0} / {1} / BM {2} -> {3} ({4})")
    @CsvSource({
            // (1) any PD -> PD, whatever else
            "PD, CR, CR, PD, any PD",
            "CR, PD, NI, PD, any PD",
            "CR, CR, PD, PD, marrow PD",
            "PR, SD, PD, PD, PD wins over SD and PR",
            "NE, NE, PD, PD, PD wins over not evaluated",
            // (2) all CR or NI -> CR
            "CR, CR, CR, CR, all CR",
            "CR, NI, NI, CR, CR where involved",
            "NI, CR, CR, CR, primary not involved",
            // (3) no PD or SD, at least one PR or marrow MD -> PR
            "PR, PR, CR, PR, tumour sites PR, marrow cleared",
            "CR, PR, CR, PR, one PR",
            "CR, CR, MD, PR, residual minimal marrow disease",
            "NI, NI, MD, PR, marrow MD alone",
            "PR, NI, NI, PR, only the primary involved",
            // (4) at least one CR or PR and at least one SD -> MR
            "PR, SD, NI, MR, PR with SD",
            "CR, SD, CR, MR, CR with SD",
            "SD, CR, SD, MR, marrow SD with metastases CR",
            // (5) otherwise at least one SD -> SD
            "SD, SD, SD, SD, all SD",
            "SD, NI, NI, SD, only involved component stable",
            "SD, NI, MD, SD, marrow MD with primary SD",
            // (6) an involved component not evaluated, nothing else decides -> NE
            "NE, NI, NI, NE, only involved component not evaluated",
            "CR, NE, NI, NE, CR elsewhere cannot make CR",
            "NE, NE, NE, NE, nothing evaluated",
    })
    void derivesTheOverallResponse(ComponentResponse primary, ComponentResponse metastases, MarrowResponse marrow,
                                   OverallResponse expected, String why) {
        assertEquals(expected, InrcResponse.derive(primary, metastases, marrow).overall(), why);
    }

    @Test
    void marrowMinimalDiseaseWithStableDiseaseIsFlaggedForCentralReview() {
        InrcResponse.Derived derived = InrcResponse.derive(ComponentResponse.SD, ComponentResponse.NI, MarrowResponse.MD);
        assertEquals(OverallResponse.SD, derived.overall());
        assertTrue(derived.needsCentralReview());
        assertTrue(derived.centralReviewReason().contains("minimal disease"));
    }

    @Test
    void aResponseDecidedWithAComponentNotEvaluatedIsFlagged() {
        InrcResponse.Derived derived = InrcResponse.derive(ComponentResponse.PR, ComponentResponse.NE, MarrowResponse.NI);
        assertEquals(OverallResponse.PR, derived.overall());
        assertTrue(derived.needsCentralReview());
    }

    @Test
    void clearCombinationsAreNotFlagged() {
        assertFalse(InrcResponse.derive(ComponentResponse.CR, ComponentResponse.CR, MarrowResponse.CR).needsCentralReview());
        assertFalse(InrcResponse.derive(ComponentResponse.PD, ComponentResponse.NE, MarrowResponse.NE).needsCentralReview());
        assertFalse(InrcResponse.derive(ComponentResponse.NE, ComponentResponse.NI, MarrowResponse.NI).needsCentralReview());
    }

    @Test
    void theBestResponseOfAnEpisodeRanksCrFirstAndNeLast() {
        assertEquals(OverallResponse.PR, InrcResponse.best(List.of(OverallResponse.SD, OverallResponse.PR, OverallResponse.PD)).orElseThrow());
        assertEquals(OverallResponse.PD, InrcResponse.best(List.of(OverallResponse.NE, OverallResponse.PD)).orElseThrow());
        assertEquals(OverallResponse.MR, InrcResponse.best(List.of(OverallResponse.MR, OverallResponse.SD)).orElseThrow());
        assertTrue(InrcResponse.best(List.of()).isEmpty());
    }

    @Test
    void diseaseControlIsResponseOrStabilisation() {
        assertTrue(OverallResponse.CR.isDiseaseControl());
        assertTrue(OverallResponse.PR.isDiseaseControl());
        assertTrue(OverallResponse.MR.isDiseaseControl());
        assertTrue(OverallResponse.SD.isDiseaseControl());
        assertFalse(OverallResponse.PD.isDiseaseControl());
        assertFalse(OverallResponse.NE.isDiseaseControl());
    }
}
