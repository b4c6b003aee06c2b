package org.nbregistry.treatment;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.LocalDate;

/** A patient's death date as episode-service last published it: no treatment starts after it. */
@Entity
@Table(name = "known_death")
public class KnownDeath extends PanacheEntityBase {

    @Id
    @Column(name = "patient_pseudonym")
    public String patientPseudonym;

    @Column(name = "death_date", nullable = false)
    public LocalDate deathDate;
}
