/** The operator queues' names in Russian (functions/core/routing/routing-table.ts names them). */
export const QUEUE_LABELS: Record<string, string> = {
  'tech-support': 'Техническая поддержка',
  services: 'Вопросы об услугах',
  complaints: 'Жалобы',
  consultations: 'Консультации',
  status: 'Статус заявлений',
};

export const queueLabel = (queue: string) => QUEUE_LABELS[queue] ?? queue;
