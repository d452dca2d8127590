package dev.tessera.operator.json;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.module.blackbird.BlackbirdModule;

import io.quarkus.kubernetes.client.KubernetesClientObjectMapperCustomizer;

/**
 * The Kubernetes client's mapping reads and writes every TrainingJob, Pod and watch event the operator
 * handles, and JOSDK copies each resource through it. Jackson's Blackbird module replaces its
 * reflective property access with generated accessors.
 */
@Singleton
public class KubernetesJson implements KubernetesClientObjectMapperCustomizer {
    @Override
    public void customize(ObjectMapper mapper) {
        mapper.registerModule(new BlackbirdModule());
    }
}
