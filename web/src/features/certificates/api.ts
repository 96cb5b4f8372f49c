import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  CertificateDocument as CertificateDocumentSchema,
  CreatedShare as CreatedShareSchema,
  Share as ShareSchema,
  SharedCertificate as SharedCertificateSchema,
  VerificationResult,
  WalletCertificate,
} from '../../../../shared/contracts/certificates.js';
import { API_BASE, api } from '../../api/client';

export type { VerificationResult, WalletCertificate };
export type CertificateDocument = z.infer<typeof CertificateDocumentSchema>;
export type Share = z.infer<typeof ShareSchema>;
export type CreatedShare = z.infer<typeof CreatedShareSchema>;
export type SharedCertificate = z.infer<typeof SharedCertificateSchema>;
export type CertificateStatus = VerificationResult['status'];

export const walletKey = ['certificates', 'wallet'] as const;
const sharesKey = (certNo: string) => ['certificates', 'shares', certNo] as const;

/** 我的证照: every certificate the signed-in person or business holds, with its signed document. */
export function useWallet() {
  return useQuery({ queryKey: walletKey, queryFn: ({ signal }) => api.get<{ certificates: WalletCertificate[] }>('/me/certificates', { signal }) });
}

/** The holder's share links of one certificate (the tokens are not kept, so no links). */
export function useShares(certNo: string) {
  return useQuery({
    queryKey: sharesKey(certNo),
    queryFn: ({ signal }) => api.get<{ shares: Share[] }>(`/me/certificates/${encodeURIComponent(certNo)}/shares`, { signal }),
  });
}

/** 亮证: a link valid for `minutes`; its token is in this answer only. */
export function useCreateShare(certNo: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (minutes: number) => api.post<CreatedShare>(`/me/certificates/${encodeURIComponent(certNo)}/shares`, { minutes }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: sharesKey(certNo) }),
  });
}

export function useWithdrawShare(certNo: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete<void>(`/me/certificates/${encodeURIComponent(certNo)}/shares/${encodeURIComponent(id)}`),
    onSuccess: () => void qc.invalidateQueries({ queryKey: sharesKey(certNo) }),
  });
}

/** The registry's answer for a certificate number (public). */
export function useVerifyCertNo(certNo: string | null) {
  return useQuery({
    queryKey: ['certificates', 'verify', certNo],
    queryFn: ({ signal }) => api.get<VerificationResult>(`/certificates/${encodeURIComponent(certNo ?? '')}/verify`, { signal }),
    enabled: certNo !== null,
    retry: false,
  });
}

/** Checks a presented document: signature, issuer key, registration, revocation, validity (public). */
export function useVerifyDocument() {
  return useMutation({ mutationFn: (doc: unknown) => api.post<VerificationResult>('/certificates/verify', doc) });
}

/** What a 亮证 link shows (public; the holder masked). */
export function useSharedCertificate(token: string) {
  return useQuery({
    queryKey: ['certificates', 'shared', token],
    queryFn: ({ signal }) => api.get<SharedCertificate>(`/certificates/shared/${encodeURIComponent(token)}`, { signal }),
    retry: false,
  });
}

/** The printable copy with its verify QR code (the holder's session cookie goes with it). */
export function pdfUrl(certNo: string): string {
  return `${API_BASE}/certificates/${encodeURIComponent(certNo)}/pdf`;
}

/**
 * The page a 亮证 link opens. The server answers with its API address
 * (`…/api/v1/certificates/shared/tbs_…`, JSON); a person opening a link wants the page, which
 * lives at the same path without `/api/v1` (and keeps the server's public origin).
 */
export function sharePageUrl(share: CreatedShare): string {
  const marker = `${API_BASE}/certificates/shared/`;
  const i = share.url.indexOf(marker);
  const origin = i >= 0 ? share.url.slice(0, i) : window.location.origin;
  return `${origin}/certificates/shared/${share.token}`;
}

/** Saves the signed document as `<certNo>.json`, to keep and to verify offline (`npx tongban cert verify`). */
export function downloadDocument(certNo: string, document: CertificateDocument): void {
  const blob = new Blob([JSON.stringify(document, null, 2) + '\n'], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const a = window.document.createElement('a');
  a.href = url;
  a.download = `${certNo}.json`;
  window.document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
