/**
 * Konaplate's Korean meaning of each documented code (errors.ts, DOCUMENTED_CODES), for Korean
 * operators: in README.ko.md's code table, and for an error's details. The transfer and delete
 * pages give their codes a Korean description: those are quoted as written (the field name that
 * 000_003's example names left out). The other codes come from pages whose description is English
 * or test-specific; their Korean here is ours, in the portal's terms (회원, PAR, 이관, 유효기간,
 * 등록 계좌), and they are listed in TRANSLATED_HERE so nobody takes them for Konaplate's words.
 */
export const KOREAN_MEANINGS: Readonly<Record<string, string>> = {
	'000_000': '성공',
	'000_002': '입력 파라미터 오류',
	'000_003': '입력 파라미터 오류 - 필수 입력 요청 정보가 null 인 경우',
	'001_006': '존재하지 않는 회원 (회원 ID가 없거나 탈퇴한 회원)',
	'003_001': '카드 정보 오류',
	'003_021': '카드 번호 또는 PAR에 해당하는 카드가 없는 경우',
	'003_022': '이미 해지된 카드인 경우',
	'005_004': '이관하는 카드의 상태가 ACTIVE가 아닌 경우 (두 카드 모두 ACTIVE여야 함)',
	'005_005': '이관하는 카드의 유효기간이 지난 경우',
	'005_017': '이관되는 카드 잔액이 0일 경우',
	'005_018': '이관 요청하는 금액이 카드 잔액 보다 많을 경우',
	'007_001': '회원의 등록 계좌가 없는 경우',
	'017_001': '이관 받는 카드의 잔액 한도 초과일 경우',
	'017_002': '잔액 이관 실패',
	'017_003': '같은 카드 간에 잔액 이관을 요청할 경우',
	'017_004': '입력받은 affiliateId와 owner affiliateId가 다를 경우',
	'017_005': '잔액 합치기 기능이 지원하지 않는 상품으로 요청할 경우',
	'017_006': '해당 상품의 owner affiliateId가 존재하지 않을 경우',
};

/** The codes whose Korean above is this package's translation, not Konaplate's own text. */
export const TRANSLATED_HERE: readonly string[] = [
	'001_006',
	'003_001',
	'003_021',
	'003_022',
	'005_004',
	'005_005',
	'007_001',
];
