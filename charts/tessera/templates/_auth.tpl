{{/*
Token checks and the services' own tokens. Each takes (dict "root" $ "verifies" bool "token" tokenSecretValues).
"verifies": the service checks incoming bearer tokens (scheduler, inventory);
"token": the Secret with the service's own token for its outgoing calls (operator, scheduler), or nil.
*/}}

{{- define "tessera.authEnv" -}}
{{- $auth := .root.Values.auth -}}
{{- if .verifies }}
- name: TESSERA_AUTH_ENABLED
  value: {{ $auth.enabled | quote }}
- name: TESSERA_JWT_ISSUER
  value: {{ $auth.issuer | quote }}
{{- if $auth.publicKeyLocation }}
- name: TESSERA_JWT_PUBLIC_KEY_LOCATION
  value: {{ $auth.publicKeyLocation | quote }}
{{- else if $auth.publicKeySecret.name }}
- name: TESSERA_JWT_PUBLIC_KEY_LOCATION
  value: {{ printf "/etc/tessera/jwt/%s" $auth.publicKeySecret.key | quote }}
{{- end }}
{{- end }}
{{- if and .token .token.name }}
# the directory's symlink is swapped when the Secret changes; the service re-reads the file
- name: TESSERA_TOKEN_FILE
  value: {{ printf "/etc/tessera/token/%s" .token.key | quote }}
{{- end }}
{{- end }}

{{- define "tessera.authMounts" -}}
{{- $auth := .root.Values.auth -}}
{{- if and .verifies (not $auth.publicKeyLocation) $auth.publicKeySecret.name }}
- name: jwt-public-key
  mountPath: /etc/tessera/jwt
  readOnly: true
{{- end }}
{{- if and .token .token.name }}
- name: token
  mountPath: /etc/tessera/token
  readOnly: true
{{- end }}
{{- end }}

{{- define "tessera.authVolumes" -}}
{{- $auth := .root.Values.auth -}}
{{- if and .verifies (not $auth.publicKeyLocation) $auth.publicKeySecret.name }}
- name: jwt-public-key
  secret:
    secretName: {{ $auth.publicKeySecret.name }}
    items:
      - key: {{ $auth.publicKeySecret.key }}
        path: {{ $auth.publicKeySecret.key }}
{{- end }}
{{- if and .token .token.name }}
# no items/subPath: a subPath mount would never see the rotated token
- name: token
  secret:
    secretName: {{ .token.name }}
    defaultMode: 0400
{{- end }}
{{- end }}
