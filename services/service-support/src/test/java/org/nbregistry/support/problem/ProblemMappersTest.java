package org.nbregistry.support.problem;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ProblemMappersTest {

    @Test
    void constraintNamesBecomeStableRuleNames() {
        assertEquals("required", ProblemMappers.ruleName("NotBlank"));
        assertEquals("not-in-future", ProblemMappers.ruleName("PastOrPresent"));
        assertEquals("pattern", ProblemMappers.ruleName("Pattern"));
        assertEquals("assert-true", ProblemMappers.ruleName("AssertTrue"));
    }
}
