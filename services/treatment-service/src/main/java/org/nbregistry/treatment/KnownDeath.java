package org.nbregistry.treatment;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.time.LocalDate;
import java.util.Objects;

/** A patient's death date as episode-service last published it for the site's patient: no treatment starts after it. */
@Entity
@Table(name = "known_death")
@IdClass(KnownDeath.Key.class)
public class KnownDeath extends PanacheEntityBase {

    @Id
    @Column(name = "site")
    public String site;

    @Id
    @Column(name = "patient_pseudonym")
    public String patientPseudonym;

    @Column(name = "death_date", nullable = false)
    public LocalDate deathDate;

    public static Uni<KnownDeath> of(String site, String pseudonym) {
        return findById(new Key(site, pseudonym));
    }

    /** A pseudonym names a patient within its site. */
    public static class Key implements Serializable {
        public String site;
        public String patientPseudonym;

        public Key() {
        }

        Key(String site, String patientPseudonym) {
            this.site = site;
            this.patientPseudonym = patientPseudonym;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(site, k.site) && Objects.equals(patientPseudonym, k.patientPseudonym);
        }

        @Override
        public int hashCode() {
            return Objects.hash(site, patientPseudonym);
        }
    }
}
