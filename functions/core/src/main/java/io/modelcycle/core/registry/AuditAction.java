package io.modelcycle.core.registry;

/** The kinds of change the audit log records. */
public enum AuditAction {
    MODEL_CREATED,
    VERSION_REGISTERED,
    VERSION_UPDATED,
    ALIAS_SET,
    ALIAS_DELETED
}
