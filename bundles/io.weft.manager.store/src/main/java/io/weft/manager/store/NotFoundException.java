package io.weft.manager.store;

/** Rejects a request that names a domain, node, profile, operator or API token that does not exist. */
public class NotFoundException extends StoreException {

    private static final long serialVersionUID = 1L;

    private final String entity;
    private final String key;

    /**
     * @param entity kind of the missing entity: {@code domain}, {@code node}, {@code profile},
     *        {@code operator} or {@code API token}
     * @param key its name or id
     */
    public NotFoundException(String entity, String key) {
        super(entity + " '" + key + "' not found");
        this.entity = entity;
        this.key = key;
    }

    public String entity() {
        return entity;
    }

    public String key() {
        return key;
    }
}
