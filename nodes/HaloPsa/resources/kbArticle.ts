import { crudResource, requiredString } from '../shared/crud';

/** Knowledge base articles (KBEntry), /KBArticle. List envelope `articles` (OAS-R KBEntry_View). */
export const kbArticle = crudResource({
	spec: {
		value: 'kbArticle',
		label: 'Knowledge Base Article',
		plural: 'Knowledge Base Articles',
		path: '/KBArticle',
		listKey: 'articles',
		paged: true,
		area: 'kb',
	},
	picker: { label: (row) => String(row.name ?? row.id) },
	operations: ['create', 'delete', 'get', 'getAll', 'update'],
	required: [requiredString('Title', 'name', 'name', 'Title of the article')],
	fields: [
		{ key: 'description', displayName: 'Body (Text)', type: 'html' },
		{ key: 'description_html', displayName: 'Body (HTML)', type: 'html' },
		{ key: 'resolution', displayName: 'Resolution (Text)', type: 'html' },
		{ key: 'resolution_html', displayName: 'Resolution (HTML)', type: 'html' },
		{ key: 'tag_string', displayName: 'Tags', type: 'string', description: 'Comma-separated tags' },
		{ key: 'type', displayName: 'Article Type', type: 'number', description: 'Article type as configured in Halo' },
		{ key: 'next_review_date', displayName: 'Next Review Date', type: 'dateTime' },
		{
			key: 'showforall',
			displayName: 'Show for All',
			type: 'boolean',
			description: 'Whether every user can see the article',
		},
		{ key: 'inactive', displayName: 'Inactive', type: 'boolean', description: 'Whether the article is hidden' },
	],
	updateOnly: [{ key: 'name', displayName: 'Title', type: 'string' }],
	filters: [
		{ key: 'search', displayName: 'Search', type: 'string', description: 'Free text matched against title and body' },
		{ key: 'type', displayName: 'Article Type', type: 'number' },
		{ key: 'client_id', displayName: 'Client', type: 'number', loadOptions: 'getClients' },
		{
			key: 'includeinactive',
			displayName: 'Include Inactive',
			type: 'boolean',
			description: 'Whether to include hidden articles',
		},
		{
			key: 'needsreview',
			displayName: 'Needs Review',
			type: 'boolean',
			description: 'Whether to return only articles due for review',
		},
		{ key: 'order', displayName: 'Order By', type: 'string', description: 'Halo field to sort by, e.g. name' },
		{
			key: 'orderdesc',
			displayName: 'Order Descending',
			type: 'boolean',
			description: 'Whether to sort in descending order',
		},
	],
	getOptions: [
		{
			key: 'includedetails',
			displayName: 'Include Details',
			type: 'boolean',
			description: 'Whether to include attachments, FAQ lists and related articles',
		},
	],
	customFields: true,
});
