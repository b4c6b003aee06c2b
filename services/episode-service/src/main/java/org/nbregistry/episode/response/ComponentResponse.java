package org.nbregistry.episode.response;

/** INRC 2017 response of the primary tumour or of soft-tissue/bone metastases. NI = not involved at baseline, NE = not evaluated. */
public enum ComponentResponse { CR, PR, SD, PD, NI, NE }
