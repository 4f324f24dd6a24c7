/** 审批: the approval boxes (待我审批 / 我已审批 / 抄送我) on a page of their own, from the menu. */
import { ApprovalBoxCard } from './approval-box-card.js';

export default function ApprovalsPage() {
  return <ApprovalBoxCard />;
}
