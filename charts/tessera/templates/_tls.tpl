{{/*
TLS between the parts. One Secret (type kubernetes.io/tls, plus ca.crt) serves both services and tells the
callers which CA to trust. Each takes (dict "root" $ "serves" bool "trusts" bool):
"serves": the component serves its API over HTTPS with tls.crt / tls.key (scheduler, inventory);
"trusts": the component calls another over HTTPS and trusts ca.crt (operator, scheduler).
*/}}

{{/* "https" with tls.enabled, else "http": the scheme the parts call each other with. */}}
{{- define "tessera.scheme" -}}
{{- if .Values.tls.enabled -}}https{{- else -}}http{{- end -}}
{{- end -}}

{{/* The Secret's name; rendering fails when TLS is on without one. */}}
{{- define "tessera.tlsSecretName" -}}
{{- required "tls.secretName: name the kubernetes.io/tls Secret (tls.crt, tls.key, ca.crt) when tls.enabled is true" .Values.tls.secretName -}}
{{- end -}}

{{- define "tessera.tlsEnv" -}}
{{- if .root.Values.tls.enabled }}
{{- if .serves }}
- name: TESSERA_TLS_CERT_FILE
  value: /etc/tessera/tls/tls.crt
- name: TESSERA_TLS_KEY_FILE
  value: /etc/tessera/tls/tls.key
{{- end }}
{{- if .trusts }}
- name: TESSERA_TLS_CA_FILE
  value: /etc/tessera/tls/ca.crt
{{- end }}
{{- end }}
{{- end }}

{{- define "tessera.tlsMounts" -}}
{{- if .root.Values.tls.enabled }}
- name: tls
  mountPath: /etc/tessera/tls
  readOnly: true
{{- end }}
{{- end }}

{{/* Only the files the component needs: a caller that serves nothing never sees the private key. */}}
{{- define "tessera.tlsVolumes" -}}
{{- if .root.Values.tls.enabled }}
# no subPath: a renewed certificate reaches the mounted files
- name: tls
  secret:
    secretName: {{ include "tessera.tlsSecretName" .root }}
    defaultMode: 0400
    items:
      {{- if .serves }}
      - key: tls.crt
        path: tls.crt
      - key: tls.key
        path: tls.key
      {{- end }}
      {{- if .trusts }}
      - key: ca.crt
        path: ca.crt
      {{- end }}
{{- end }}
{{- end }}
