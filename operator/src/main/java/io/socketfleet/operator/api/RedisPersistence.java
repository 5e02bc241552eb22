package io.socketfleet.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;

/** The volume a managed Redis that holds state keeps its append-only file on. */
public class RedisPersistence {

    public static final String DEFAULT_SIZE = "1Gi";

    @JsonPropertyDescription("Size of the managed Redis's PersistentVolumeClaim, e.g. 1Gi (fixed once the claim exists).")
    @Pattern("^[0-9]+(\\.[0-9]+)?(Ki|Mi|Gi|Ti|k|M|G|T)?$")
    @Default(DEFAULT_SIZE)
    private String size = DEFAULT_SIZE;

    @JsonPropertyDescription("StorageClass of the claim (default: the cluster's default StorageClass).")
    @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
    private String storageClass;

    public String getSize() {
        return size;
    }

    public void setSize(String size) {
        this.size = size;
    }

    public String getStorageClass() {
        return storageClass;
    }

    public void setStorageClass(String storageClass) {
        this.storageClass = storageClass;
    }
}
