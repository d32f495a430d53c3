{{/* Chart name, truncated to the 63 characters a label allows. */}}
{{- define "rustless-operator.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Release-scoped name of the operator's objects. */}}
{{- define "rustless-operator.fullname" -}}
{{- if contains .Chart.Name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{- define "rustless-operator.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "rustless-operator.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "rustless-operator.selectorLabels" -}}
app.kubernetes.io/name: {{ include "rustless-operator.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "rustless-operator.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "rustless-operator.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* What the operator does with its sources and their build Jobs, in a watched namespace (or all). */}}
{{- define "rustless-operator.sourceRules" -}}
- apiGroups: ["rustless.io"]
  resources: ["rustlesswasmpluginsources"]
  verbs: ["get", "list", "watch", "patch", "update"]
- apiGroups: ["rustless.io"]
  resources: ["rustlesswasmpluginsources/status", "rustlesswasmpluginsources/finalizers"]
  verbs: ["get", "patch", "update"]
- apiGroups: ["batch"]
  resources: ["jobs"]
  verbs: ["get", "list", "watch", "create", "delete", "patch"]
- apiGroups: [""]
  resources: ["pods"]
  verbs: ["get", "list", "watch"]
- apiGroups: [""]
  resources: ["events"]
  verbs: ["create", "patch"]
{{- end }}
