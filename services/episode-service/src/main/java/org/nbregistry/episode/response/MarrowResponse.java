package org.nbregistry.episode.response;

/** INRC 2017 bone-marrow response. MD = minimal disease (more than 0 and at most 5% infiltration). */
public enum MarrowResponse { CR, MD, SD, PD, NI, NE }
