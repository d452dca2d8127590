package dev.tessera.operator.json;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.module.blackbird.BlackbirdModule;

import io.quarkus.kubernetes.client.KubernetesClientObjectMapperCustomizer;

/**
 * The Kubernetes client's mapping reads and writes every TrainingJob, Pod and watch event the operator
 * handles, and JOSDK copies each resource through it. Jackson's Blackbird module replaces its
 * reflective property access with generated accessors.
 * <p>
 * Fields the operator's TrainingJob classes do not know (a newer CRD's, or kept by an API server that does not prune
 * them) are ignored: one such job would otherwise fail the watch of every job, and the operator never writes a
 * job's spec back, so nothing of it is lost.
 */
@Singleton
public class KubernetesJson implements KubernetesClientObjectMapperCustomizer {
    @Override
    public void customize(ObjectMapper mapper) {
        mapper.registerModule(new BlackbirdModule());
        mapper.configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    }
}
